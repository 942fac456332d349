/**
 * `awsguard pick`: choose a profile in a fuzzy picker drawn on the terminal, print its name.
 * stdout carries only the answer, so `P=$(awsguard pick)` works; Esc or Ctrl-C print nothing
 * and exit 130; without a terminal it exits 6 and says to pass -p.
 */
import { parseArgs } from '../args.js';
import { ConfigError, displayPath, ExitCode, UsageError } from '../errors.js';
import { loadAwsConfig } from '../config/load.js';
import { protection } from '../guard/protection.js';
import { loadSettings } from '../guard/settings.js';
import { xdgPaths } from '../paths.js';
import { readCacheView } from '../tui/cache-view.js';
import { Filter } from '../tui/filter.js';
import { frecencyPath, frecencyScore, loadFrecency, recordChoice, saveFrecency } from '../tui/frecency.js';
import { rowsFromProfiles, type PickRow } from '../tui/rows.js';
import { openTerminal } from '../tui/terminal.js';
import { useColor, type CommandContext } from './context.js';
import { pickFlags } from './pick-flags.js';

export async function run(ctx: CommandContext, argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, pickFlags, 'pick');
  if (positionals.length) throw new UsageError(`pick: unexpected argument "${positionals[0]}"; to start with a filter, use --query TEXT`);
  const row = await choose(ctx, flags.query ?? '');
  if (!row) return ExitCode.cancelled;
  ctx.stdout.write(flags.json ? JSON.stringify(choiceJson(row)) + '\n' : row.profile + '\n');
  return ExitCode.ok;
}

/** Opens the picker and returns the chosen row (remembered for frecency), or undefined on Esc. `use` calls this too. */
export async function choose(ctx: CommandContext, query: string): Promise<PickRow | undefined> {
  // First, so that a missing terminal is reported before any other work or error.
  const terminal = openTerminal();
  try {
    const config = loadAwsConfig({ env: ctx.env });
    // The badge follows the guard's own rules: listed accounts, patterns and aliases from the settings.
    const settings = loadSettings(ctx.env);
    const rows = rowsFromProfiles(config, {
      cache: readCacheView(xdgPaths(ctx.env).cacheDir),
      settingsAliases: settings.aliases,
      isProtected: ({ accountId, alias, profile }) => protection(settings, { accountId: accountId ?? '', profile, ...(alias ? { alias } : {}) }).protected,
    });
    if (!rows.length) {
      throw new ConfigError(`no profiles in ${displayPath(config.configFile)} or ${displayPath(config.credentialsFile)}; nothing to pick`);
    }
    const now = ctx.now();
    const historyFile = frecencyPath(ctx.env);
    const history = loadFrecency(historyFile);
    const scores = Float64Array.from(rows, (row) => frecencyScore(history.entries[row.profile], now));
    const filter = new Filter(rows, scores);
    const colour = useColor({ isTTY: true, write: (text) => void terminal.output.write(text) }, ctx.env);
    const { runPicker } = await import('../tui/run-picker.js');
    const row = await runPicker({ terminal, rows, filter, initialQuery: query, colour, now });
    if (row) remember(ctx, historyFile, row.profile);
    return row;
  } finally {
    terminal.close();
  }
}

/** The --json answer; unknown values are null rather than missing, so readers need no guards. */
export function choiceJson(row: PickRow): Record<string, string | null> {
  return {
    profile: row.profile,
    account_id: row.accountId ?? null,
    account_alias: row.alias ?? null,
    role: row.role ?? null,
    region: row.region ?? null,
    source: row.source,
  };
}

/** Adds the choice to the frecency record; failing to is worth a warning, not the answer. */
function remember(ctx: CommandContext, file: string, profile: string): void {
  try {
    // Read again: another picker may have written since this one started.
    saveFrecency(file, recordChoice(loadFrecency(file), profile, ctx.now()));
  } catch (err) {
    ctx.stderr.write(`awsguard: could not record the choice in ${displayPath(file)}: ${(err as Error).message}\n`);
  }
}
