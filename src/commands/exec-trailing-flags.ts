/**
 * `awsguard exec true -p dev`: without `--`, everything from the command on is the command's,
 * so `-p dev` goes to `true` and the session is the default profile's. Said before anything
 * runs: a refusal when the flag names a profile and exec was given none (the wrong account is
 * then far likelier than intent), else one line on stderr. Short flags are left alone unless
 * -p names a profile: `grep -q`, `mkdir -p dir`, `ssh -p 2222` are the command's, and saying so
 * every time would be noise. A long one (`aws s3 ls --profile prod`) always gets the note.
 */
import type { FlagSpecs } from '../args.js';
import { UsageError } from '../errors.js';
import { shQuote } from '../exec/child-env.js';

export interface TrailingFlagCheck {
  argv: readonly string[];
  /** The command and its arguments as parsed. */
  command: readonly string[];
  specs: FlagSpecs;
  /** exec's own -p, if given before the command. */
  profile: string | undefined;
  /** Whether `name` is a profile in the AWS config; asked only when -p/--profile follows the command. */
  isProfile: (name: string) => boolean;
}

/** The note to print (undefined: nothing to say); throws UsageError for a profile that went to the command. */
export function checkTrailingFlags(check: TrailingFlagCheck): string | undefined {
  const { argv, command, specs } = check;
  // `--` before the command: the person said the rest is the command's.
  if (!command.length || argv[argv.length - command.length - 1] === '--') return undefined;
  const args = command.slice(1);
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = flagName(arg, specs);
    if (!name) continue;
    let named = false;
    if (name === 'profile') {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
      named = value !== undefined && check.isProfile(value);
      if (check.profile === undefined && named && value !== undefined) {
        const cmd = command.map(pasteable).join(' ');
        const others = [...args.slice(0, i), ...args.slice(i + (arg.includes('=') ? 1 : 2))];
        const without = [command[0]!, ...others].map(pasteable).join(' ');
        throw new UsageError(
          `exec: ${arg.includes('=') ? arg : `${arg} ${value}`} comes after the command, so it would go to ${command[0]} and the session would not be ${value}'s: ` +
            `awsguard exec -p ${pasteable(value)} -- ${without} (or, if it is the command's own: awsguard exec -- ${cmd})`,
        );
      }
    }
    if (arg.startsWith('--') || named) found.push(arg.split('=')[0]!);
  }
  if (!found.length) return undefined;
  return `note: ${[...new Set(found)].join(', ')} after the command go${found.length === 1 ? 'es' : ''} to ${command[0]}, not to awsguard (its flags go before the command; -- before the command says they are the command's)`;
}

/** The exec flag `arg` spells (`--name`, `--name=...`, `--no-name` for a boolean, or `-p`), if any. */
function flagName(arg: string, specs: FlagSpecs): string | undefined {
  if (arg === `-${specs.profile?.short ?? ''}`) return 'profile';
  if (!arg.startsWith('--') || arg === '--') return undefined;
  const name = arg.slice(2).split('=')[0]!;
  if (specs[name] && !specs[name].hidden) return name;
  const negated = name.startsWith('no-') ? name.slice(3) : undefined;
  return negated && specs[negated]?.type === 'boolean' ? negated : undefined;
}

/** A word as typed at a shell prompt: bare when it is plain, else single-quoted. */
function pasteable(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : shQuote(word);
}
