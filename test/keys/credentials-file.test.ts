import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moveKeysOut, profilesWithKeys, replaceCredentialsFile } from '../../src/keys/credentials-file.js';
import { isOwnExportLine, ownExportLine } from '../../src/config/own-export-line.js';
import { shlexSplit } from '../../src/config/shlex.js';
import { buildConfig, parseSections } from '../../src/config/load.js';
import { resolveChain } from '../../src/config/chain.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ID = 'AKIAIOSFODNN7EXAMPLE';

describe('moveKeysOut', () => {
  it('replaces only the key lines, keeping CRLF endings, comments and other sections', () => {
    const text = `# top\r\n[a]\r\nregion = eu-west-1\r\naws_access_key_id = ${ID}\r\n; note\r\naws_secret_access_key = ${SECRET}\r\noutput = json\r\n\r\n[b]\r\naws_access_key_id = AKIAOTHER00000000001\r\naws_secret_access_key = other\r\n`;
    const { text: out, keys } = moveKeysOut(text, '/f', 'a');
    expect(keys).toEqual({ accessKeyId: ID, secretAccessKey: SECRET });
    expect(out).toBe(`# top\r\n[a]\r\nregion = eu-west-1\r\ncredential_process = awsguard export -p a --format credential-process\r\n; note\r\noutput = json\r\n\r\n[b]\r\naws_access_key_id = AKIAOTHER00000000001\r\naws_secret_access_key = other\r\n`);
  });

  it('takes continuation lines with their key, and a file without a final newline', () => {
    const text = `[a]\naws_secret_access_key = ${SECRET.slice(0, 20)}\n  ${SECRET.slice(20)}\naws_access_key_id=${ID}`;
    const out = moveKeysOut(text, '/f', 'a').text;
    expect(out).toBe('[a]\ncredential_process = awsguard export -p a --format credential-process\n');
  });

  it('refuses what it cannot move safely, naming the line', () => {
    expect(() => moveKeysOut(`[a]\naws_access_key_id = ASIAFAKE\naws_secret_access_key = s\naws_session_token = t\n`, '/f', 'a')).toThrow(/^\/f:4: \[a\]: holds temporary credentials/);
    expect(() => moveKeysOut(`[DEFAULT]\naws_secret_access_key = ${SECRET}\n[a]\naws_access_key_id = ${ID}\n`, '/f', 'a')).toThrow(/^\/f:2: \[a\]: aws_secret_access_key comes from \[DEFAULT\]/);
    expect(() => moveKeysOut(`# old: ${SECRET}\n[a]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\n`, '/f', 'a')).toThrow(/the secret key appears elsewhere in the file too/);
    expect(() => moveKeysOut(`[a]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\ncredential_process = other\n`, '/f', 'a')).toThrow(/already has a credential_process line/);
    expect(() => moveKeysOut(`[a]\nregion = x\n`, '/f', 'b')).toThrow(/has no \[b\] section/);
  });

  it('quotes a profile name that needs it, and the line reads back as its own', () => {
    const out = moveKeysOut(`[my team's keys]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\n`, '/f', "my team's keys").text;
    const config = buildConfig('/c', undefined, '/f', parseSections(out, '/f', 'credentials'));
    expect(resolveChain(config, "my team's keys").base).toEqual({ kind: 'stored', profile: "my team's keys" });
    expect(shlexSplit(ownExportLine("my team's keys"))).toEqual(['awsguard', 'export', '-p', "my team's keys", '--format', 'credential-process']);
  });

  it('lists the profiles --all would move', () => {
    expect(profilesWithKeys(`[a]\naws_access_key_id = ${ID}\naws_secret_access_key = s\n[b]\nregion = x\n[c]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\n`, '/f')).toEqual(['a']);
  });
});

describe('isOwnExportLine', () => {
  it('is the exact line for the same profile, from any awsguard on PATH or by path', () => {
    expect(isOwnExportLine('awsguard export -p dev --format credential-process', 'dev')).toBe(true);
    expect(isOwnExportLine('/usr/local/bin/awsguard export --format credential-process --profile dev', 'dev')).toBe(true);
    expect(isOwnExportLine('awsguard export -p dev --format credential-process', 'prod')).toBe(false);
    expect(isOwnExportLine('awsguard export -p dev --read-only --format credential-process', 'dev')).toBe(false);
    expect(isOwnExportLine('not-awsguard export -p dev --format credential-process', 'dev')).toBe(false);
    expect(isOwnExportLine("awsguard export -p 'unterminated", 'dev')).toBe(false);
  });
});

describe('replaceCredentialsFile', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes through a link, keeps the mode, and refuses a file changed meanwhile', () => {
    dir = mkdtempSync(join(tmpdir(), 'awsguard-cf-'));
    const real = join(dir, 'real');
    writeFileSync(real, 'old');
    chmodSync(real, 0o600);
    const link = join(dir, 'credentials');
    symlinkSync(real, link);
    replaceCredentialsFile(link, 'old', 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
    expect(statSync(real).mode & 0o777).toBe(0o600);
    expect(() => replaceCredentialsFile(link, 'old', 'newer')).toThrow(/changed while awsguard was importing/);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });
});
