import { describe, expect, it } from 'vitest';
import { pick } from '../../src/commands/specs/pick.js';
import { choiceJson } from '../../src/commands/pick.js';
import { runCommand } from '../../src/cli.js';
import type { CommandContext } from '../../src/cli/context.js';
import { UsageError } from '../../src/errors.js';

const pickFlags = pick.flags;

describe('pick', () => {
  it('prints the choice as JSON with nulls for what is unknown', () => {
    expect(
      choiceJson({ profile: 'tool', accountId: undefined, alias: undefined, role: undefined, region: 'eu-west-1', source: 'process', protected: false, sessionExpires: 5 }),
    ).toEqual({ profile: 'tool', account_id: null, account_alias: null, role: null, region: 'eu-west-1', source: 'process', ephemeral: false });
  });

  it('declares --query, --json, --sso, --refresh and --help', () => {
    expect(Object.keys(pickFlags).sort()).toEqual(['help', 'json', 'query', 'refresh', 'sso']);
    // No -q: exec and use have -q for --quiet, and a short flag means one thing everywhere.
    expect(pickFlags.query).toMatchObject({ type: 'string' });
    expect(pickFlags.query).not.toHaveProperty('short');
  });

  it('refuses positional arguments before touching the terminal', async () => {
    const ctx: CommandContext = { env: {}, stdout: { write: () => {}, isTTY: false }, stderr: { write: () => {}, isTTY: false }, now: () => 0 };
    await expect(runCommand(ctx, pick, ['prod'])).rejects.toThrow(UsageError);
    await expect(runCommand(ctx, pick, ['--nope'])).rejects.toThrow(/unknown flag --nope/);
  });
});
