/**
 * awsguard's own directories under the XDG base directories. The spec says a relative
 * XDG_* value is invalid and must be ignored, so it falls back to the default as if unset.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

function base(env: NodeJS.ProcessEnv, variable: string, fallback: string[]): string {
  const value = env[variable];
  if (value && isAbsolute(value)) return value;
  return join(env.HOME || homedir(), ...fallback);
}

/** `$XDG_STATE_HOME/awsguard`, by default `~/.local/state/awsguard`: frecency lives here. */
export function stateDir(env: NodeJS.ProcessEnv): string {
  return join(base(env, 'XDG_STATE_HOME', ['.local', 'state']), 'awsguard');
}

/** `$XDG_CACHE_HOME/awsguard`, by default `~/.cache/awsguard`: the session cache and account aliases. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(base(env, 'XDG_CACHE_HOME', ['.cache']), 'awsguard');
}
