/**
 * `profiles --names` reads only the names (loadProfileNames): they must be the profiles
 * loadAwsConfig makes, whatever the headers, with the credentials file and the synced SSO
 * profiles merged the same way, and the same error for a file botocore rejects.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAwsConfig, loadProfileNames } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'awsguard-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
mkdirSync(join(dir, 'xdg', 'awsguard'), { recursive: true });

const header = fc.constantFrom(
  '[default]', '[profile a]', '[profile b]', '[a]', '[profile  a]', "[profile 'c d']", '[profile "e"]', '[profile]', '[profiles x]', '[profile a b]',
  '[profile a"]', '[sso-session s]', '[services x]', '[Default]', '[profile default]', '[profile é]', '[DEFAULT]', '[x', '[profile a]',
);
const body = fc.constantFrom('', 'region = eu-west-1', 'region = us-east-1\n', 'aws_access_key_id = AKID\naws_secret_access_key = s');
const file = fc.array(fc.tuple(header, body).map(([h, b]) => `${h}\n${b}`), { maxLength: 8 }).map((sections) => sections.join('\n'));
const outcome = (read: () => Iterable<string>): unknown => {
  try {
    return [...read()].sort();
  } catch (err) {
    return String(err);
  }
};

describe('loadProfileNames', () => {
  it('names the profiles loadAwsConfig makes, or fails as it does', () => {
    fc.assert(
      fc.property(file, file, fc.option(file, { nil: undefined }), (config, credentials, synced) => {
        writeFileSync(env.AWS_CONFIG_FILE, config);
        writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, credentials);
        const sso = join(env.XDG_CONFIG_HOME, 'awsguard', 'sso-profiles');
        if (synced === undefined) rmSync(sso, { force: true });
        else writeFileSync(sso, synced);
        expect(outcome(() => loadProfileNames({ env }))).toEqual(outcome(() => loadAwsConfig({ env }).profiles.keys()));
      }),
      { numRuns: 400 },
    );
  });
});
