/**
 * awsguard's own directories, per the XDG base directory spec: settings under
 * $XDG_CONFIG_HOME, cached sessions under $XDG_CACHE_HOME, the audit log and frecency
 * under $XDG_STATE_HOME. A relative XDG value is ignored, as the spec says.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface AwsguardPaths {
  configDir: string;
  cacheDir: string;
  stateDir: string;
}

export function xdgPaths(env: NodeJS.ProcessEnv): AwsguardPaths {
  const home = env.HOME || homedir();
  const base = (name: string, fallback: string) => {
    const v = env[name];
    return v && isAbsolute(v) ? v : join(home, fallback);
  };
  return {
    configDir: join(base('XDG_CONFIG_HOME', '.config'), 'awsguard'),
    cacheDir: join(base('XDG_CACHE_HOME', '.cache'), 'awsguard'),
    stateDir: join(base('XDG_STATE_HOME', '.local/state'), 'awsguard'),
  };
}
