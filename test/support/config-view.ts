/** Our reader's view of a config pair, in the shape of botocore's view recorded in each fixtures/config case. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/errors.js';
import { loadAwsConfig } from '../../src/config/load.js';
import type { Section } from '../../src/config/model.js';

export type View =
  | { ok: true; available_profiles: string[]; profiles: Record<string, Record<string, unknown>>; sso_sessions: Record<string, Record<string, unknown>> }
  | { ok: false; file: 'config' | 'credentials'; line: number | null };

function plain(section: Section): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, { value }] of section.settings) out[k] = typeof value === 'string' ? value : Object.fromEntries(value);
  return out;
}

export function viewOfFiles(configFile: string, credentialsFile: string): View {
  try {
    const config = loadAwsConfig({ env: { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, HOME: '/nonexistent' } });
    const profiles: Record<string, Record<string, unknown>> = {};
    for (const [name, p] of config.profiles) profiles[name] = plain(p);
    const sso: Record<string, Record<string, unknown>> = {};
    for (const [name, s] of config.ssoSessions) sso[name] = plain(s);
    return { ok: true, available_profiles: [...config.profiles.keys()], profiles, sso_sessions: sso };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ok: false, file: err.file === credentialsFile ? 'credentials' : 'config', line: err.line ?? null };
  }
}

/** Writes the pair to a temporary directory (absent when null) and reads it. */
export function viewOfTexts(config: Uint8Array | string | null, credentials: Uint8Array | string | null): View {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-view-'));
  try {
    const c = join(dir, 'config');
    const k = join(dir, 'credentials');
    if (config !== null) writeFileSync(c, config);
    if (credentials !== null) writeFileSync(k, credentials);
    return viewOfFiles(c, k);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
