/** The shells awsguard integrates with, and how each quotes a literal string. */
import { UsageError } from '../errors.js';

export const SHELLS = ['zsh', 'bash', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The shell named on the command line; `command` names the caller in the error. */
export function parseShell(name: string | undefined, command: string): Shell {
  if (name === undefined) throw new UsageError(`${command}: which shell? (${SHELLS.join(', ')})`);
  const shell = SHELLS.find((s) => s === name);
  if (!shell) throw new UsageError(`${command}: unknown shell "${name}" (${SHELLS.join(', ')})`);
  return shell;
}

/** A single-quoted literal: nothing inside is expanded by the shell. */
export function quote(shell: Shell, text: string): string {
  // sh family: a ' cannot appear inside '…', so close, add an escaped one, reopen.
  if (shell !== 'fish') return `'${text.replaceAll("'", `'\\''`)}'`;
  // fish: inside '…' only \\ and \' are escapes.
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
