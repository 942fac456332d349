/**
 * Typed errors thrown by the core. The command layer turns them into one message
 * and an exit code; the core never prints or exits.
 */

/** Exit codes, documented in the README. A child's own code passes through unchanged. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  config: 3,
  credentials: 4,
  refused: 5,
  noTerminal: 6,
  cancelled: 130,
  notExecutable: 126,
  notFound: 127,
} as const;

export class AwsguardError extends Error {
  // Names are spelled out: the bundler may rename classes, and `--json` readers see them.
  override name = 'AwsguardError';
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
  /** What a script reading `--json` output gets. */
  toJSON(): Record<string, unknown> {
    return { type: this.name, message: this.message };
  }
}

export class UsageError extends AwsguardError {
  override name = 'UsageError';
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/** A config file that cannot be read the way botocore reads it; always names the file and line. */
export class ConfigError extends AwsguardError {
  override name = 'ConfigError';
  readonly file: string | undefined;
  readonly line: number | undefined;
  /** The message without the `file:line: ` prefix. */
  readonly detail: string;
  constructor(detail: string, file?: string, line?: number) {
    super(ConfigError.format(detail, file, line), ExitCode.config);
    this.detail = detail;
    this.file = file;
    this.line = line;
  }
  static format(detail: string, file?: string, line?: number): string {
    if (!file) return detail;
    return `${displayPath(file)}${line ? `:${line}` : ''}: ${detail}`;
  }
  override toJSON(): Record<string, unknown> {
    return { type: this.name, file: this.file ?? null, line: this.line ?? null, message: this.detail };
  }
}

/** A profile that does not exist; carries the closest names for "did you mean". */
export class ProfileNotFoundError extends AwsguardError {
  override name = 'ProfileNotFoundError';
  readonly profile: string;
  readonly suggestions: string[];
  constructor(profile: string, suggestions: string[]) {
    const hint = suggestions.length ? ` (did you mean ${suggestions.join(' or ')}?)` : '';
    // Quoted as JSON: a name given in argv or AWS_PROFILE shows its line breaks as \n instead of making them.
    super(`profile ${JSON.stringify(profile)} not found${hint}`, ExitCode.config);
    this.profile = profile;
    this.suggestions = suggestions;
  }
  override toJSON(): Record<string, unknown> {
    return { type: this.name, profile: this.profile, suggestions: this.suggestions, message: this.message };
  }
}

/** Getting credentials failed; `step` says which hop of the chain, e.g. `assume role arn:... (via dev)`. */
export class CredentialError extends AwsguardError {
  override name = 'CredentialError';
  readonly profile: string;
  readonly step: string;
  readonly code: string | undefined;
  constructor(profile: string, step: string, detail: string, code?: string) {
    super(`${profile}: ${step}: ${code ? `${code}: ` : ''}${detail}`, ExitCode.credentials);
    this.profile = profile;
    this.step = step;
    this.code = code;
  }
  override toJSON(): Record<string, unknown> {
    return { type: this.name, profile: this.profile, step: this.step, code: this.code ?? null, message: this.message };
  }
}

/** The guard refused to hand out credentials or start a child. */
export class GuardRefusal extends AwsguardError {
  override name = 'GuardRefusal';
  readonly reason: string;
  constructor(message: string, reason: string) {
    super(message, ExitCode.refused);
    this.reason = reason;
  }
}

/** Shows a path with the home directory as `~`, the way people wrote it. */
export function displayPath(path: string, home = process.env.HOME): string {
  if (home && home !== '/' && (path === home || path.startsWith(home + '/'))) return '~' + path.slice(home.length);
  return path;
}
