/**
 * How often and how recently each profile was chosen, so the one used every morning comes
 * first. The formula is zoxide's: each choice adds 1 to a profile's rank; the score weighs
 * the rank by the age of the last choice (x4 within the hour, x2 within the day, /2 within the
 * week, /4 after); when the ranks add up to more than MAX_TOTAL, all of them shrink, and the
 * ones below 1 are forgotten, so old habits fade without a cleanup job.
 *
 * Stored as JSON in $XDG_STATE_HOME/awsguard/frecency.json. It names the accounts a person
 * works in, so the file is private (0600, directory 0700) and written atomically: a reader
 * sees the old file or the new one, never half of one.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writePrivateFile } from '../credentials/secure-files.js';
import { xdgPaths } from '../xdg-dirs.js';

export interface FrecencyEntry {
  rank: number;
  /** When it was last chosen, in milliseconds since the epoch. */
  last: number;
}

export interface Frecency {
  version: 1;
  entries: Record<string, FrecencyEntry>;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** zoxide uses 10,000 for directories; people have far fewer profiles than directories. */
export const MAX_TOTAL = 1000;

export function emptyFrecency(): Frecency {
  return { version: 1, entries: Object.create(null) as Record<string, FrecencyEntry> };
}

export function frecencyPath(env: NodeJS.ProcessEnv): string {
  return join(xdgPaths(env).stateDir, 'frecency.json');
}

export function frecencyScore(entry: FrecencyEntry | undefined, now: number): number {
  if (!entry) return 0;
  const age = now - entry.last;
  if (age < HOUR) return entry.rank * 4;
  if (age < DAY) return entry.rank * 2;
  if (age < WEEK) return entry.rank / 2;
  return entry.rank / 4;
}

/** A new record with `name` chosen at `now`; the input is not changed. */
export function recordChoice(data: Frecency, name: string, now: number, maxTotal = MAX_TOTAL): Frecency {
  const entries = Object.create(null) as Record<string, FrecencyEntry>;
  for (const [key, entry] of Object.entries(data.entries)) entries[key] = { ...entry };
  const current = entries[name];
  entries[name] = { rank: (current?.rank ?? 0) + 1, last: now };
  let total = 0;
  for (const entry of Object.values(entries)) total += entry.rank;
  if (total > maxTotal) {
    const factor = (0.9 * maxTotal) / total;
    for (const [key, entry] of Object.entries(entries)) {
      entry.rank *= factor;
      if (entry.rank < 1) delete entries[key];
    }
  }
  return { version: 1, entries };
}

/** The stored record; a missing, unreadable or foreign file counts as no history (it is only a hint). */
export function loadFrecency(path: string): Frecency {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return emptyFrecency();
  }
  try {
    return validate(JSON.parse(text) as unknown);
  } catch {
    return emptyFrecency();
  }
}

function validate(value: unknown): Frecency {
  const out = emptyFrecency();
  if (typeof value !== 'object' || value === null) return out;
  const { version, entries } = value as { version?: unknown; entries?: unknown };
  if (version !== 1 || typeof entries !== 'object' || entries === null) return out;
  for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
    const { rank, last } = (entry ?? {}) as { rank?: unknown; last?: unknown };
    if (typeof rank === 'number' && Number.isFinite(rank) && rank > 0 && typeof last === 'number' && Number.isFinite(last)) {
      out.entries[name] = { rank, last };
    }
  }
  return out;
}

/** Writes the record atomically (temporary file, then rename), mode 0600, creating the directory 0700. */
export function saveFrecency(path: string, data: Frecency): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writePrivateFile(path, JSON.stringify(data) + '\n');
}
