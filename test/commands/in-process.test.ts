/**
 * Commands run in process through the dispatcher (`main`), with a context that captures their
 * output, against the loopback fake AWS: the same parse, guard and output layer as the binary,
 * without building or spawning it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { captureContext } from '../support/command-context.js';
import { assertNoSecrets, createWorld, type World } from '../support/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld({ autoApprove: 1 });
});
afterAll(async () => w.close());

async function run(argv: string[], env: NodeJS.ProcessEnv = w.env) {
  const c = captureContext(env, w.now);
  const code = await main(argv, c.ctx);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('in process', () => {
  it('profiles --names prints every profile of the config, one per line', async () => {
    const r = await run(['profiles', '--names']);
    expect(r.code, r.stderr).toBe(0);
    const names = r.stdout.trimEnd().split('\n');
    expect(names).toEqual(expect.arrayContaining(['ci', 'staging-deploy', 'prod-admin', 'prod-readonly', 'sandbox']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('profiles prints a table with a header and a row per profile', async () => {
    const names = (await run(['profiles', '--names'])).stdout.trimEnd().split('\n');
    const r = await run(['profiles']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROFILE\s/);
    expect(lines.length).toBe(names.length + 1);
  });

  it('whoami reaches the fake AWS and names the account and its alias', async () => {
    w.fake.reset();
    const r = await run(['whoami', '-p', 'staging-deploy', '--mfa-code', '123456', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'staging-deploy', account_id: '222222222222', account_alias: 'acme-staging', principal: 'Deploy' });
    expect(w.fake.calls('AssumeRole')).toBe(1);
    assertNoSecrets(r.stdout + r.stderr, w.secrets());
  });

  it('export refuses a protected account when --confirm names another, and prints no credentials', async () => {
    const r = await run(['export', '-p', 'prod-readonly', '--mfa-code', '123456', '--confirm', 'acme-staging', '--format', 'json']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/acme-prod/);
    assertNoSecrets(r.stderr, w.secrets());
  });

  it('export inside an awsguard session refuses another account without --nest', async () => {
    const inside = { ...w.env, AWSGUARD_PROFILE: 'ci', AWSGUARD_ACCOUNT_ID: '111111111111' };
    const r = await run(['export', '-p', 'staging-deploy', '--mfa-code', '123456'], inside);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/inside an awsguard session; pass --nest/);
  });

  it('a mistyped command or flag is a usage error with the closest match', async () => {
    const cmd = await run(['profils']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toMatch(/unknown command "profils" \(did you mean profiles\?\)/);
    const flag = await run(['whoami', '--jsn']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/whoami: unknown flag --jsn \(did you mean --json\?\)/);
    expect(flag.stdout).toBe('');
  });

  it('help CMD and CMD --help print the same help, from the spec alone', async () => {
    const a = await run(['help', 'export']);
    const b = await run(['export', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^Usage: awsguard export/);
    expect(a.stdout).toMatch(/--format FORMAT/);
  });
});
