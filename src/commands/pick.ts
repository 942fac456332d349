/**
 * `awsguard pick`: choose a profile in a fuzzy picker drawn on the terminal, print its name.
 * stdout carries only the answer, so `P=$(awsguard pick)` works; Esc or Ctrl-C print nothing
 * and exit 130; without a terminal it exits 6 and says to pass -p. With `--sso` (or Ctrl-S in
 * the picker) the SSO portal's accounts and roles are listed too, each choosable as an
 * ephemeral profile (config/ephemeral.ts) without writing one.
 */
import { ConfigError, displayPath, ExitCode, UsageError } from '../errors.js';
import { loadAwsConfig, releaseSettings } from '../config/load.js';
import { protection } from '../guard/protection.js';
import { loadSettings } from '../guard/settings.js';
import { xdgPaths } from '../xdg-dirs.js';
import { readCacheView } from '../tui/cache-view.js';
import { Filter, type SearchIndex } from '../tui/filter.js';
import { GrowingRows } from '../tui/growing-rows.js';
import { frecencyPath, frecencyScore, loadFrecency, recordChoice, saveFrecency } from '../tui/frecency.js';
import { selectBest } from '../tui/ranking.js';
import { rowsFromPortal, rowsFromProfiles, type PickRow, type PortalSource, type ProfileRowOptions } from '../tui/rows.js';
import type { PortalRows, RowSet } from '../tui/Picker.js';
import { portalListing, sessionRef } from '../credentials/sso-portal.js';
import type { AwsConfig } from '../config/model.js';
import { openTerminal, type Terminal } from '../tty/device.js';
import { frameLines, pageSize, type FrameInput } from '../tui/frame.js';
import { initialState } from '../tui/picker-state.js';
import { startEarly, type EarlyPicker, type EarlyView } from '../tui/type-ahead.js';
import { measure, planColumns, type Maxima } from '../tui/row-layout.js';
import { ENTER_SCREEN, LEAVE_SCREEN } from '../tui/screen.js';
import { useColor, type CommandContext } from '../cli/context.js';
import type { Parsed } from '../cli/command.js';
import type { pick } from './specs/pick.js';
import { writeData } from '../tty/output.js';

export async function run(ctx: CommandContext, { flags, positionals }: Parsed<typeof pick.flags>): Promise<number> {
  if (positionals.length) throw new UsageError(`pick: unexpected argument "${positionals[0]}"; to start with a filter, use --query TEXT`);
  if (flags.refresh && !flags.sso) throw new UsageError('pick: --refresh lists the SSO portal again; it goes with --sso');
  const row = await choose(ctx, flags.query ?? '', { sso: Boolean(flags.sso), refresh: Boolean(flags.refresh) });
  if (!row) return ExitCode.cancelled;
  // The answer is data for the caller (`P=$(awsguard pick)`): the name exactly as configured.
  writeData(ctx.stdout, flags.json ? JSON.stringify(choiceJson(row)) + '\n' : row.profile + '\n');
  return ExitCode.ok;
}

/** Opens the picker and returns the chosen row (remembered for frecency), or undefined on Esc. `use` calls this too. */
export async function choose(ctx: CommandContext, query: string, opts: { sso?: boolean; refresh?: boolean } = {}): Promise<PickRow | undefined> {
  // First, so that a missing terminal is reported before any other work or error.
  const terminal = openTerminal();
  let screen = false;
  try {
    const config = loadAwsConfig({ env: ctx.env });
    // The badge follows the guard's own rules: listed accounts, patterns and aliases from the settings.
    const settings = loadSettings(ctx.env);
    const rowOptions: ProfileRowOptions = {
      cache: readCacheView(xdgPaths(ctx.env).cacheDir),
      settingsAliases: settings.aliases,
      isProtected: ({ accountId, alias, profile }) => protection(settings, { accountId: accountId ?? '', profile, ...(alias ? { alias } : {}) }).protected,
    };
    const now = ctx.now();
    const historyFile = frecencyPath(ctx.env);
    const history = loadFrecency(historyFile);
    const colour = useColor({ isTTY: true, write: (text) => void terminal.output.write(text) }, ctx.env);
    const portalState = config.ssoSessions.size ? 'hidden' : 'none';
    // Each profile's frecency, in the config's order (the rows' order), computed once for the first page and the filter.
    const scores = Float64Array.from(config.profiles.keys(), (name) => frecencyScore(history.entries[name], now));
    // Thousands of rows take a while to build: the first page, which needs only a few, goes
    // first, and keys are answered while the others are built (type-ahead.ts, provisional view).
    let early: EarlyPicker | undefined;
    let rows: PickRow[];
    // The index the filter searches, when made as the rows were built: each row is indexed by name first, whole once built.
    let index: SearchIndex | undefined;
    if (!opts.sso && query === '' && config.profiles.size >= FIRST_PAGE_FIRST) {
      const names = [...config.profiles.keys()];
      const growing = new GrowingRows(names, (only) => rowsFromProfiles(config, rowOptions, only));
      const fill = (indices: readonly number[]) => growing.fill(indices);
      const maxima = drawFirstPage(terminal, names, growing, scores, colour, now, portalState);
      screen = true;
      early = startEarly(terminal, { rows: growing.rows, filter: growing.filter(scores), note: undefined, portal: portalState, colour, now, maxima, fill }, '', true);
      let ended = false;
      void early.finished.then(() => (ended = true));
      for (let start = 0; start < names.length && !ended; start += ROWS_PER_TURN) {
        // A turn of the event loop before each chunk: keys typed meanwhile are answered first.
        await new Promise((resolve) => setImmediate(resolve));
        fill(Array.from({ length: Math.min(ROWS_PER_TURN, names.length - start) }, (_, k) => start + k));
        // The rows hold what they show; the settings each chunk built are not needed again (and rebuilt if they are).
        releaseSettings(config);
      }
      rows = growing.rows;
      index = growing.searched;
    } else {
      rows = rowsFromProfiles(config, rowOptions);
      releaseSettings(config);
    }
    if (!rows.length && !opts.sso) {
      throw new ConfigError(`no profiles in ${displayPath(config.configFile)} or ${displayPath(config.credentialsFile)}; nothing to pick (awsguard pick --sso lists the SSO portal)`);
    }
    const rowSet = (all: readonly PickRow[], note?: string, indexed?: SearchIndex): RowSet => {
      // The profiles' scores as computed above; the portal's rows come after them.
      const frecency = new Float64Array(all.length);
      frecency.set(scores.subarray(0, Math.min(scores.length, all.length)));
      for (let i = scores.length; i < all.length; i++) frecency[i] = frecencyScore(history.entries[all[i]!.profile], now);
      return { rows: all, filter: new Filter(all, frecency, indexed), ...(note ? { note } : {}) };
    };
    const profiles = rowSet(rows, undefined, index);
    const sessions = [...config.ssoSessions.keys()];
    let portal: PortalRows | undefined;
    if (sessions.length) {
      const load = async (refresh: boolean) => {
        const listed = await listPortals(ctx, config, sessions, refresh);
        return rowSet([...rows, ...rowsFromPortal(listed.portals, rows, rowOptions)], listed.note);
      };
      portal = { load: () => load(false) };
      // Listed before the screen changes, so a login that is needed is said plainly on stderr.
      if (opts.sso) portal.loaded = await load(opts.refresh ?? false);
    } else if (opts.sso) {
      throw new ConfigError(`no [sso-session NAME] in ${displayPath(config.configFile)}: no SSO portal to list (aws configure sso-session makes one)`);
    }
    // The first frame is drawn here, before Ink and React load (most of the time to Ink's
    // first frame), and keys typed while they load are answered here too (type-ahead.ts):
    // Ink starts from where they left the picker. Over a first page, the first frame redraws
    // the lines whose columns the other rows made wider.
    const shown = portal?.loaded ?? profiles;
    const whole: EarlyView = { rows: shown.rows, filter: shown.filter, note: shown.note, portal: portal?.loaded ? 'shown' : portalState, colour, now };
    if (early) early.complete(whole);
    else early = startEarly(terminal, whole, query, screen);
    screen = true;
    // A turn of the event loop first: keys already waiting in the terminal (typed while the
    // rows were built) are read and answered before loading Ink takes the thread.
    await new Promise((resolve) => setImmediate(resolve));
    const loading = import('../tui/run-picker.js');
    const before = await Promise.race([early.finished, loading.then(() => undefined)]);
    const start = early.stop();
    let row: PickRow | undefined;
    if (before) row = before.row;
    else {
      const { runPicker } = await loading;
      row = await runPicker({ terminal, rows, filter: profiles.filter, colour, now, drawnSize: start.size, start: { state: start.state, note: start.note }, ...(portal ? { portal } : {}) });
    }
    if (row) remember(ctx, historyFile, row.profile);
    return row;
  } finally {
    if (screen) terminal.output.write(LEAVE_SCREEN);
    terminal.close();
  }
}

/** From this many profiles on, the first page is drawn before the other rows are built. */
const FIRST_PAGE_FIRST = 2000;
/** Rows built between two reads of the keyboard while the others wait (a few milliseconds' worth). */
const ROWS_PER_TURN = 500;

/**
 * The first page of an empty query, built from the few rows it shows: the most frecent
 * profiles, then the config's order, as the filter orders them. The name column is as wide as
 * all names need; the others may widen once every row is known (the first full frame, type-ahead.ts, redraws then).
 * Returns the column widths known so far.
 */
function drawFirstPage(terminal: Terminal, names: readonly string[], growing: GrowingRows, scores: Float64Array, colour: boolean, now: number, portal: FrameInput['portal']): Maxima {
  const size = terminal.size();
  const state = initialState('');
  const { page } = pageSize(size, state, undefined);
  // The page's rows only, not all of them sorted: the filter's own order (frecency, then the config's).
  const first = selectBest(names.length, page, (p, q) => scores[q]! - scores[p]! || p - q);
  growing.fill(Array.from(first));
  const rows = Array.from(first, (i) => growing.rows[i]!);
  const filter = new Filter(rows, Float64Array.from(first, (i) => scores[i]!));
  const maxima = measure(rows, now);
  maxima.name = names.reduce((widest, name) => Math.max(widest, name.length), maxima.name);
  const lines = frameLines({ rows, filter, results: filter.run(''), state, total: names.length, matched: names.length, note: undefined, portal, plan: planColumns(size.columns, maxima), size, colour, now });
  terminal.output.write(ENTER_SCREEN + lines.join('\n'));
  return maxima;
}

/**
 * Every session's listing, cached or fetched. Sessions that cannot be listed (most often: not
 * logged in) are named in a note; only when none can is it an error.
 */
async function listPortals(ctx: CommandContext, config: AwsConfig, sessions: readonly string[], refresh: boolean): Promise<{ portals: PortalSource[]; note?: string }> {
  const cacheDir = xdgPaths(ctx.env).cacheDir;
  const results = await Promise.allSettled(
    sessions.map(async (session) => {
      const ref = sessionRef(config, session);
      const listing = await portalListing({ env: ctx.env, region: ref.region, profile: `sso-session ${session}` }, ref, cacheDir, ctx.now, refresh);
      return { session, listing };
    }),
  );
  const portals = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  if (!portals.length) {
    const first = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
    throw first;
  }
  return failures.length ? { portals, note: failures.join('; ') } : { portals };
}

/** The --json answer; unknown values are null rather than missing, so readers need no guards. */
export function choiceJson(row: PickRow): Record<string, string | boolean | null> {
  return {
    profile: row.profile,
    account_id: row.accountId ?? null,
    account_alias: row.alias ?? null,
    role: row.role ?? null,
    region: row.region ?? null,
    source: row.source,
    ephemeral: Boolean(row.ephemeral),
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
