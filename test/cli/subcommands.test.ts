/** Commands with subcommands (`keys`, `sso`): one list in the spec serves the dispatcher, help and completion. */
import { describe, expect, it } from 'vitest';
import { subcommandOf } from '../../src/cli/command.js';
import { UsageError } from '../../src/errors.js';
import { commandHelp } from '../../src/help.js';
import { keys } from '../../src/commands/specs/keys.js';
import { sso } from '../../src/commands/specs/sso.js';

const usageError = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('subcommands', () => {
  it('names the one given, and refuses others with the list and the one probably meant', () => {
    expect(subcommandOf(keys, 'rotate')).toBe('rotate');
    expect(subcommandOf(sso, 'sync')).toBe('sync');
    expect(usageError(() => subcommandOf(keys, 'rotat'))).toBe(
      `keys: unknown subcommand "rotat" (did you mean rotate?): add, import, list, remove, export-plaintext, rotate (see 'awsguard help keys')`,
    );
    expect(usageError(() => subcommandOf(sso, undefined))).toBe(`sso: say what to do: accounts, sync (see 'awsguard help sso')`);
    expect(usageError(() => subcommandOf(sso, 'zzzzzzzz'))).not.toContain('did you mean');
  });

  it('help lists each with its summary, aligned', () => {
    const help = commandHelp(keys);
    expect(help).toContain('Subcommands:\n  add               store a key');
    expect(help).toContain('\n  rotate            create a new key');
    expect(commandHelp(sso)).toMatch(/Subcommands:\n {2}accounts {2}list the accounts/);
  });
});
