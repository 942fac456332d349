/**
 * The text of `awsguard profiles --json`: `JSON.stringify(entries, null, 2)` of the entries
 * `entryObject` makes, written out entry by entry instead. For a 10,000-profile config the
 * entry objects cost more than the text, and all of them would survive until the one write.
 * test/commands/profiles-json.test.ts holds this to JSON.stringify's own output.
 */
import { isSecretKey, settingsToJSON, type Setting } from '../config/model.js';

export interface EntryFields {
  name: string;
  source: string;
  chain: string;
  accountId: string | undefined;
  region: string | undefined;
  /** `ConfigError.toJSON()` when the profile's chain is broken. */
  error: Record<string, unknown> | undefined;
}

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

/** `JSON.stringify(entries, null, 2)`, given each entry's text from `entryJSON`. */
export function entriesJSON(entries: string[]): string {
  return entries.length ? `[\n  ${entries.join(',\n  ')}\n]` : '[]';
}

const q = JSON.stringify;

/** An entry's text as it stands in the array, one level in. */
export function entryJSON(e: EntryFields, settings: ReadonlyMap<string, Setting>, showOrigin: boolean): string {
  // Pieces joined once: `+` would leave a tree of partial strings per entry until the end.
  const out: string[] = ['{\n    "name": ', q(e.name), ',\n    "settings": '];
  settingsJSON(settings, out);
  out.push(',\n    "source": ', q(e.source), ',\n    "chain": ', q(e.chain), ',\n    "account_id": ', q(e.accountId ?? null), ',\n    "region": ', q(e.region ?? null));
  if (e.error) out.push(',\n    "error": ', nested(q(e.error, null, 2)));
  if (showOrigin) {
    out.push(',\n    "origins": ');
    originsJSON(settings, out);
  }
  out.push('\n  }');
  return out.join('');
}

/** An object's JSON.stringify(…, null, 2) moved two levels in, where an entry's fields are. */
const nested = (text: string): string => text.replaceAll('\n', '\n    ');

/**
 * Objects list keys that are array indices first, in numeric order, whatever order they were
 * set in; a map with such a key goes through a real object and JSON.stringify.
 */
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;
const indexLike = (key: string): boolean => key.charCodeAt(0) <= 0x39 && INDEX_LIKE.test(key);

function hasIndexLikeKey(settings: ReadonlyMap<string, Setting>, nestedToo: boolean): boolean {
  for (const [key, { value }] of settings) {
    if (indexLike(key)) return true;
    if (nestedToo && typeof value !== 'string') for (const k of value.keys()) if (indexLike(k)) return true;
  }
  return false;
}

function settingsJSON(settings: ReadonlyMap<string, Setting>, out: string[]): void {
  if (settings.size === 0) {
    out.push('{}');
    return;
  }
  if (hasIndexLikeKey(settings, true)) {
    out.push(nested(q(settingsToJSON(settings, isSecretKey), null, 2)));
    return;
  }
  let sep = '{\n      ';
  for (const [key, { value }] of settings) {
    out.push(sep, q(key), ': ');
    sep = ',\n      ';
    if (typeof value === 'string') {
      out.push(q(isSecretKey(key) ? '<redacted>' : value));
      continue;
    }
    if (value.size === 0) {
      out.push('{}');
      continue;
    }
    let inner = '{\n        ';
    for (const [k, v] of value) {
      out.push(inner, q(k), ': ', q(isSecretKey(k) ? '<redacted>' : v));
      inner = ',\n        ';
    }
    out.push('\n      }');
  }
  out.push('\n    }');
}

function originsJSON(settings: ReadonlyMap<string, Setting>, out: string[]): void {
  if (settings.size === 0) {
    out.push('{}');
    return;
  }
  if (hasIndexLikeKey(settings, false)) {
    out.push(nested(q(origins(settings), null, 2)));
    return;
  }
  let sep = '{\n      ';
  for (const [key, { file, line }] of settings) {
    out.push(sep, q(key), ': ', q(`${file.path}:${line}`));
    sep = ',\n      ';
  }
  out.push('\n    }');
}

function origins(settings: ReadonlyMap<string, Setting>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, { file, line }] of settings) out[key] = `${file.path}:${line}`;
  return out;
}
