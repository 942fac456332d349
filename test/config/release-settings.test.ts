/**
 * releaseSettings (the picker calls it after each chunk of rows): the settings built so far are
 * let go and built again, the same, from the files' lines. What a profile reads must not change.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAwsConfig, releaseSettings } from '../../src/config/load.js';
import type { AwsConfig } from '../../src/config/model.js';

const dir = mkdtempSync(join(tmpdir(), 'awsguard-release-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };

const header = fc.constantFrom('[default]', '[profile a]', '[profile b]', '[a]', '[b]', '[sso-session s]', '[DEFAULT]', '[profile c]');
const body = fc.constantFrom('', 'region = eu-west-1', 'region = us-east-1\noutput = json\n', 'aws_access_key_id = AKID\naws_secret_access_key = s', 's3 =\n  max_concurrent_requests = 4', '  indented = 1', 'Region: x');
const file = fc.array(fc.tuple(header, body).map(([h, b]) => `${h}\n${b}`), { maxLength: 6 }).map((sections) => sections.join('\n'));

/** Every profile's and SSO session's settings, with their lines. */
function snapshot(config: AwsConfig): unknown {
  const of = (settings: ReadonlyMap<string, unknown>) => JSON.stringify([...settings]);
  return {
    profiles: [...config.profiles].map(([name, p]) => [name, of(p.settings), p.fromConfig && of(p.fromConfig), p.fromCredentials && of(p.fromCredentials)]),
    sessions: [...config.ssoSessions].map(([name, s]) => [name, of(s.settings)]),
  };
}

describe('releaseSettings', () => {
  it('changes nothing a profile or an SSO session reads, read before, after or never', () => {
    fc.assert(
      fc.property(file, file, fc.boolean(), (config, credentials, readFirst) => {
        writeFileSync(env.AWS_CONFIG_FILE, config);
        writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, credentials);
        let loaded: AwsConfig;
        try {
          loaded = loadAwsConfig({ env });
        } catch {
          return; // a file botocore rejects: nothing to read
        }
        const fresh = snapshot(loadAwsConfig({ env }));
        if (readFirst) expect(snapshot(loaded)).toEqual(fresh);
        releaseSettings(loaded);
        expect(snapshot(loaded)).toEqual(fresh);
        releaseSettings(loaded);
        expect(snapshot(loaded)).toEqual(fresh);
      }),
      { numRuns: 300 },
    );
  });

  it('lets go of what was built: the next read builds the settings anew', () => {
    writeFileSync(env.AWS_CONFIG_FILE, '[profile a]\nregion = eu-west-1\n[profile both]\nregion = us-east-1\n');
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, '[both]\naws_access_key_id = AKID\naws_secret_access_key = s\n');
    const config = loadAwsConfig({ env });
    const a = config.profiles.get('a')!;
    const before = a.settings;
    expect(a.settings).toBe(before);
    releaseSettings(config);
    expect(a.settings).not.toBe(before);
    expect([...a.settings]).toEqual([...before]);
    // A profile in both files keeps its merge: one map per such profile, and few have one.
    const both = config.profiles.get('both')!;
    const merged = both.settings;
    releaseSettings(config);
    expect(both.settings).toBe(merged);
    expect(both.settings.get('region')?.value).toBe('us-east-1');
  });
});
