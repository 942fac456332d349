/**
 * The entries of `awsguard profiles --json`, which JSON.stringify writes. (A hand-written writer
 * measured no faster on a 10,000-profile config, so JSON.stringify it is.)
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

function origins(settings: ReadonlyMap<string, Setting>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, { file, line }] of settings) out[key] = `${file.path}:${line}`;
  return out;
}
