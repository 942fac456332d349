/** Kept answers of `profiles --names` / `--json`: served while the files are unchanged, never after. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

function home() {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-kept-'));
  writeFileSync(join(dir, 'config'), '[profile aaa]\nregion = eu-west-1\n');
  writeFileSync(join(dir, 'credentials'), '[keys]\naws_access_key_id = AKIAKEPT000000000001\naws_secret_access_key = kept-secret-0000000000000000000000000000\n');
  const env = { HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'cfg'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  const keptDir = join(dir, 'cache', 'awsguard', 'profiles');
  const kept = () => readdirSync(keptDir).map((f) => join(keptDir, f));
  return { dir, env, keptDir, kept };
}

describe('profiles --names and --json, kept until a file changes', () => {
  it('serves the kept answer while the files are unchanged, privately stored', () => {
    const h = home();
    expect(runCli(['profiles', '--names'], h.env).stdout).toBe('aaa\nkeys\n');
    const [file] = h.kept();
    expect(statSync(h.keptDir).mode & 0o777).toBe(0o700);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    // Proof that the second run reads it: change the kept body, keep its header.
    const text = readFileSync(file!, 'utf8');
    writeFileSync(file!, text.slice(0, text.indexOf('\n') + 1) + 'from-the-cache\n');
    expect(runCli(['profiles', '--names'], h.env).stdout).toBe('from-the-cache\n');
  });

  it('answers anew after an edit of the same size, and after the synced SSO profiles appear', () => {
    const h = home();
    expect(runCli(['profiles', '--names'], h.env).stdout).toBe('aaa\nkeys\n');
    writeFileSync(join(h.dir, 'config'), '[profile bbb]\nregion = eu-west-1\n');
    expect(runCli(['profiles', '--names'], h.env).stdout).toBe('bbb\nkeys\n');
    const synced = join(h.dir, 'cfg', 'awsguard');
    mkdirSync(synced, { recursive: true });
    writeFileSync(join(synced, 'sso-profiles'), '[profile ccc]\nregion = us-east-1\n');
    expect(runCli(['profiles', '--names'], h.env).stdout).toBe('bbb\nccc\nkeys\n');
  });

  it('keeps --names and --json apart, and keeps no secret', () => {
    const h = home();
    runCli(['profiles', '--names'], h.env);
    const json = runCli(['profiles', '--json'], h.env).stdout;
    expect(JSON.parse(json).map((p: { name: string }) => p.name)).toEqual(['aaa', 'keys']);
    expect(runCli(['profiles', '--json'], h.env).stdout).toBe(json);
    expect(h.kept()).toHaveLength(2);
    for (const file of h.kept()) expect(readFileSync(file, 'utf8')).not.toContain('kept-secret');
  });

  it('ignores and replaces a kept answer that others can read', () => {
    const h = home();
    runCli(['profiles', '--names'], h.env);
    const [file] = h.kept();
    const text = readFileSync(file!, 'utf8');
    writeFileSync(file!, text.slice(0, text.indexOf('\n') + 1) + 'planted\n');
    chmodSync(file!, 0o644);
    expect(runCli(['profiles', '--names'], h.env).stdout).toBe('aaa\nkeys\n');
    expect(statSync(file!).mode & 0o777).toBe(0o600);
  });
});
