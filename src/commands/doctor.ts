import { xdgPaths } from '../xdg-dirs.js';
import { loadSettings } from '../guard/settings.js';
import { ConfigError } from '../errors.js';
import { useColor, type CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { doctor } from './specs/doctor.js';
import { checkClock, checkConfig, checkNode, checkPrivateDir, checkShell, checkSsoTokens, parentName, type Finding } from './doctor-checks.js';
import { checkPreConfirmed, checkProtection } from './doctor-guard.js';
import { checkKeys } from './doctor-keys.js';
import { writeData } from '../tty/output.js';
import { style } from '../tty/palette.js';
import { cleanText } from '../tty/sanitize.js';

export async function run(ctx: CommandContext, { flags }: Parsed<typeof doctor.flags>): Promise<number> {
  const paths = xdgPaths(ctx.env);
  const findings: Finding[] = [checkNode()];
  const { findings: configFindings, config, facts } = checkConfig(ctx.env);
  findings.push(...configFindings);
  findings.push(checkPrivateDir('cache directory', paths.cacheDir), checkPrivateDir('state directory', paths.stateDir));
  try {
    const settings = loadSettings(ctx.env);
    findings.push({ check: 'settings', status: 'ok', detail: settings.file ? `read ${settings.file}` : 'no settings file; default protection rules apply' });
    if (facts) findings.push(...checkProtection(facts, settings), checkPreConfirmed(facts));
    findings.push(...(await checkKeys(facts?.plaintext ?? [], settings, ctx.env, ctx.now())));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    findings.push({ check: 'settings', status: 'fail', detail: err.message, fix: 'fix that line: a guard that silently forgets its rules is worse than none' });
  }
  if (config && facts) findings.push(...checkSsoTokens(config, facts, ctx.env, ctx.now()));
  findings.push(await checkClock(ctx.env, ctx.now), checkShell(ctx.env, Boolean(process.stdin.isTTY), parentName()));
  const failed = findings.some((f) => f.status === 'fail');
  if (flags.json) {
    writeData(ctx.stdout, JSON.stringify({ ok: !failed, checks: findings }, null, 2) + '\n');
    return failed ? 1 : 0;
  }
  const color = useColor(ctx.stdout, ctx.env);
  const mark = { ok: color ? style('ok', 'ok') + '  ' : 'ok  ', warn: color ? style('warn', 'warn') : 'warn', fail: color ? style('fail', 'FAIL') : 'FAIL' };
  for (const f of findings) {
    const [first, ...more] = f.detail.split('\n');
    // A finding's lines are its own; each is cleaned as one line, so a name in it adds none.
    ctx.stdout.write(`${mark[f.status]}  ${cleanText(f.check)}: ${cleanText(first ?? '')}\n`);
    for (const line of more) ctx.stdout.write(`        ${cleanText(line)}\n`);
    if (f.fix && f.status !== 'ok') ctx.stdout.write(`        fix: ${cleanText(f.fix)}\n`);
  }
  return failed ? 1 : 0;
}
