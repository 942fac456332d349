import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { commands } from '../src/commands/specs/index.js';

function configDir(config: string, credentials = ''): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'awsguard-cli-'));
  writeFileSync(join(dir, 'config'), config);
  writeFileSync(join(dir, 'credentials'), credentials);
  return { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
}

describe('awsguard CLI basics', () => {
  it('prints help and version', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: awsguard <command>');
    for (const c of commands) expect(help.stdout).toContain(c.name);
    const version = runCli(['--version']);
    expect(version.stdout).toMatch(/^awsguard \d+\.\d+\.\d+/);
  });

  it('has --help on every command, and help <command>', () => {
    for (const c of commands) {
      const a = runCli([c.name, '--help']);
      expect(a.status, c.name).toBe(0);
      expect(a.stdout).toContain(`Usage: ${c.usage}`);
      expect(runCli(['help', c.name]).stdout).toBe(a.stdout);
    }
  });

  it('rejects unknown commands and flags with the closest match and exit 2', () => {
    const cmd = runCli(['profils']);
    expect(cmd.status).toBe(2);
    expect(cmd.stderr).toBe(`awsguard: unknown command "profils" (did you mean profiles?); see 'awsguard --help'\n`);
    const flag = runCli(['profiles', '--jsn']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain('unknown flag --jsn (did you mean --json?)');
    expect(runCli(['help', 'nope']).status).toBe(2);
  });
});

describe('awsguard profiles', () => {
  const env = configDir(
    '[default]\nregion = eu-west-1\n\n[profile dev]\nrole_arn = arn:aws:iam::111111111111:role/Dev\nsource_profile = default\n' +
      '[profile prod.admin]\nrole_arn = arn:aws:iam::333333333333:role/Admin\nsource_profile = dev\ns3 =\n  addressing_style = path\n',
    '[default]\naws_access_key_id = AKIAEXAMPLEKEY000001\naws_secret_access_key = verysecretvalue0000000000000000000000001\n',
  );

  it('shows a table with chains and accounts, never a secret', () => {
    const r = runCli(['profiles'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/prod\.admin\s+role Admin <- role Dev <- keys \(default\)\s+333333333333/);
    expect(r.stdout + r.stderr).not.toContain('verysecretvalue');
  });

  it('prints JSON with botocore settings, redacting secrets', () => {
    const r = runCli(['profiles', '--json'], env);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; settings: Record<string, unknown>; account_id: string | null }>;
    expect(list.map((p) => p.name)).toEqual(['default', 'dev', 'prod.admin']);
    expect(list[0]!.settings.aws_secret_access_key).toBe('<redacted>');
    expect(list[2]!.settings.s3).toEqual({ addressing_style: 'path' });
    expect(list[2]!.account_id).toBe('333333333333');
    expect(r.stdout).not.toContain('verysecretvalue');
  });

  it('lists names only with --names', () => {
    expect(runCli(['profiles', '--names'], env).stdout).toBe('default\ndev\nprod.admin\n');
  });

  it('reports a broken file with its file and line, and as JSON', () => {
    const bad = configDir('[profile a]\nregion = x\n\n[profile b]\nregion = y\nregion = z\n');
    const r = runCli(['profiles'], bad);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`awsguard: ${bad.AWS_CONFIG_FILE}:6: "region" is set twice in [profile b]\n`);
    expect(r.stderr).not.toMatch(/at .*\.js/);
    const j = runCli(['profiles', '--json'], bad);
    expect(j.status).toBe(3);
    expect(JSON.parse(j.stdout)).toEqual({ error: { type: 'ConfigError', file: bad.AWS_CONFIG_FILE, line: 6, message: '"region" is set twice in [profile b]' } });
  });

  it('a [ line with no ]: botocore\'s verdict (a key set twice, on the next line), then the likely cause', () => {
    // What a person with 60 lines of config hit: `[profile b` lost its ]; the lines after it
    // land in [profile a], as botocore reads them.
    const bad = configDir('[profile a]\nregion = x\noutput = json\n[profile b\nregion = y\n');
    const r = runCli(['profiles'], bad);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe(`awsguard: ${bad.AWS_CONFIG_FILE}:5: "region" is set twice in [profile a]; line 4 opens a section without a closing ]\n`);
    // botocore says the same (its ConfigParseError hides the configparser error it came from).
    const script = 'import botocore.session\ntry: botocore.session.Session().full_config\nexcept Exception as e: print(e.__context__)';
    const py = spawnSync('/usr/bin/python3', ['-c', script], { env: { PATH: '/usr/bin:/bin', AWS_CONFIG_FILE: bad.AWS_CONFIG_FILE!, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }, encoding: 'utf8' });
    expect(py.stdout).toMatch(/\[line  5\]: option 'region' in section 'profile a' already exists/);
  });

  it('shows the home directory as ~ in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'awsguard-home-'));
    writeFileSync(join(dir, 'config'), 'region = x\n');
    const r = runCli(['profiles'], { HOME: dir, AWS_CONFIG_FILE: '~/config', AWS_SHARED_CREDENTIALS_FILE: '~/none' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^awsguard: ~\/config:1: expected a section header/);
  });

  it('marks broken chains in the table without failing the whole listing', () => {
    const cyc = configDir('[profile a]\nrole_arn = arn:aws:iam::111111111111:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111111111111:role/B\nsource_profile = a\n[profile c]\nregion = x\n');
    const r = runCli(['profiles'], cyc);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a\s+broken: source_profile cycle: a -> b -> a/);
  });
});
