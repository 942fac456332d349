import { ExitCode, UsageError } from '../errors.js';
import { readAudit } from '../guard/audit.js';
import { parseDuration } from '../guard/settings.js';
import type { CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { audit } from './specs/audit.js';
import { renderTable } from './table.js';
import { widthOf, writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { flags }: Parsed<typeof audit.flags>): Promise<number> {
  let since: Date | undefined;
  if (flags.since !== undefined) {
    const days = /^(\d+)d$/.exec(flags.since);
    const ago = days ? Number(days[1]) * 86400 : parseDuration(flags.since);
    since = ago !== undefined ? new Date(ctx.now() - ago * 1000) : new Date(flags.since);
    if (Number.isNaN(since.getTime())) throw new UsageError(`audit: --since takes a time (2026-11-23T10:00Z) or an age (2h, 7d), not ${flags.since}`);
  }
  const all = readAudit(ctx.env, { ...(since ? { since } : {}), ...(flags.account ? { account: flags.account } : {}) });
  if (flags.json) {
    writeData(ctx.stdout, all.map((r) => JSON.stringify(r) + '\n').join(''));
    return ExitCode.ok;
  }
  // A protected exec writes its grant before the child starts and its end after; the table shows
  // the end, and a grant alone only when no end followed (awsguard was killed, the machine died).
  const ended = new Set(all.filter((r) => r.run && r.phase === undefined).map((r) => r.run));
  const records = all.filter((r) => !(r.phase === 'start' && ended.has(r.run)));
  ctx.stdout.write(
    renderTable(
      ['TIME', 'PROFILE', 'ACCOUNT', 'OUTCOME', 'COMMAND'],
      records.map((r) => [
        r.time.replace(/\.\d{3}Z$/, 'Z'),
        r.profile,
        r.account_alias ? `${r.account_alias} (${r.account_id})` : r.account_id,
        r.refused ? `refused: ${r.refused}` : r.phase === 'start' ? `${r.confirmation} · started, no end recorded` : `${r.confirmation === 'not-needed' ? '' : `${r.confirmation} · `}exit ${r.exit_code ?? '-'}`,
        r.argv.join(' ').slice(0, 60),
      ]),
      { color: false, width: widthOf(ctx.stdout), shrink: [4, 3, 2, 1] },
    ),
  );
  return ExitCode.ok;
}
