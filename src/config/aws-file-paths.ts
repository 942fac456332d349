/**
 * Where the shared config files are, resolved as botocore does: the environment variable
 * when it is set (even to an empty string), `$VAR` expansion, then `~` expansion.
 */
import { userInfo } from 'node:os';

export interface ConfigPaths {
  config: string;
  credentials: string;
}

export function configPaths(env: NodeJS.ProcessEnv): ConfigPaths {
  const pick = (name: string, fallback: string) => (Object.hasOwn(env, name) ? env[name]! : fallback);
  return {
    config: expandPath(pick('AWS_CONFIG_FILE', '~/.aws/config'), env),
    credentials: expandPath(pick('AWS_SHARED_CREDENTIALS_FILE', '~/.aws/credentials'), env),
  };
}

/** `os.path.expanduser(os.path.expandvars(path))`. */
export function expandPath(path: string, env: NodeJS.ProcessEnv): string {
  return expandUser(expandVars(path, env), env);
}

/** posixpath.expandvars: `$name` and `${name}` when set; anything else is left as written. */
export function expandVars(path: string, env: NodeJS.ProcessEnv): string {
  if (!path.includes('$')) return path;
  return path.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith('{') ? name.slice(1, -1) : name;
    return Object.hasOwn(env, key) ? env[key]! : whole;
  });
}

/** posixpath.expanduser for `~` and `~/...` (HOME first, like Python); `~user` is left alone unless it is us. */
export function expandUser(path: string, env: NodeJS.ProcessEnv): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/', 1);
  const end = slash === -1 ? path.length : slash;
  const user = path.slice(1, end);
  let home: string | undefined;
  if (user === '') home = env.HOME ?? safeHome();
  else if (user === safeUser()) home = safeHome();
  if (home === undefined) return path;
  home = home.replace(/\/+$/, '');
  return home + path.slice(end) || '/';
}

function safeHome(): string | undefined {
  try {
    return userInfo().homedir;
  } catch {
    return undefined;
  }
}

function safeUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
