/**
 * The line `keys import` leaves in a profile whose keys it moved into awsguard's store:
 *
 *   credential_process = awsguard export -p NAME --format credential-process
 *
 * The AWS CLI, boto3 and the SDKs run it and get a short-lived session. awsguard itself
 * recognises it (the same profile, the same command, nothing added) and reads the store
 * instead of running itself. A line that adds anything (a scope, another profile) is an
 * ordinary credential_process.
 */
import { ShlexError, shlexSplit } from './shlex.js';

const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word, as shlex (and so botocore) reads it back. */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, `'"'"'`)}'`;
}

export function ownExportLine(profile: string): string {
  return `awsguard export -p ${shellWord(profile)} --format credential-process`;
}

export function isOwnExportLine(command: string, profile: string): boolean {
  let argv: string[];
  try {
    argv = shlexSplit(command);
  } catch (err) {
    if (err instanceof ShlexError) return false;
    throw err;
  }
  const [program, ...args] = argv;
  if (program === undefined || !/(^|\/)awsguard$/.test(program)) return false;
  if (args.length !== 5 || args[0] !== 'export') return false;
  const rest = args.slice(1);
  const named = (flag: string, value: string) => {
    const i = rest.indexOf(flag);
    return i !== -1 && i % 2 === 0 && rest[i + 1] === value;
  };
  return (named('-p', profile) || named('--profile', profile)) && named('--format', 'credential-process');
}
