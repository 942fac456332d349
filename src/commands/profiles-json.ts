/**
 * The entries of `awsguard profiles --json`, which JSON.stringify writes. (A hand-written writer
 * measured no faster on a 10,000-profile config, so JSON.stringify it is.) They are made and
 * written a batch at a time (`entriesJSON`): ten thousand entries alive at once, each with its
 * settings object, cost more in garbage collection than making them.
 */
import { isSecretKey, putData, settingsToJSON, type Setting } from '../config/model.js';

export interface EntryFields {
  name: string;
  source: string;
  chain: string;
  accountId: string | undefined;
  region: string | undefined;
  /** `ConfigError.toJSON()` when the profile's chain is broken. */
  error: Record<string, unknown> | undefined;
}

/** Entries per JSON.stringify: few enough to die young, enough that the calls cost nothing. */
const BATCH = 256;

/**
 * `JSON.stringify(entries, null, 2) + '\n'` in UTF-8, in parts to write one after another, for
 * the `count` entries `entryAt` makes: each batch's text without its brackets is what the whole
 * array's text holds for those entries, at the same depth. The text goes into buffers, outside
 * the JavaScript heap.
 */
export function entriesJSON(count: number, entryAt: (index: number) => Record<string, unknown>): Buffer[] {
  if (count === 0) return [Buffer.from('[]\n')];
  const parts: Buffer[] = [];
  for (let from = 0; from < count; from += BATCH) {
    const batch: Record<string, unknown>[] = [];
    for (let i = from; i < count && i < from + BATCH; i++) batch.push(entryAt(i));
    // "[\n  {…},\n  {…}\n]"
    const text = JSON.stringify(batch, null, 2);
    parts.push(utf8(`${from === 0 ? '[\n' : ',\n'}${text.slice(2, -2)}`));
  }
  parts.push(Buffer.from('\n]\n'));
  return parts;
}

/** ASCII text (the usual config) is its own UTF-8, and copying it as Latin-1 costs less than encoding it. */
const utf8 = (text: string): Buffer => Buffer.from(text, Buffer.byteLength(text, 'utf8') === text.length ? 'latin1' : 'utf8');

/** The entry as an object, for JSON.stringify. */
export function entryObject(e: EntryFields, settings: ReadonlyMap<string, Setting>, showOrigin: boolean): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: e.name,
    settings: settingsToJSON(settings, isSecretKey),
    source: e.source,
    chain: e.chain,
    account_id: e.accountId ?? null,
    region: e.region ?? null,
  };
  if (e.error) entry.error = e.error;
  if (showOrigin) entry.origins = origins(settings);
  return entry;
}

function origins(settings: ReadonlyMap<string, Setting>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, { file, line }] of settings) putData(out, key, `${file.path}:${line}`);
  return out;
}
