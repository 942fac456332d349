/**
 * `awsguard exec --server`: a long job keeps working across credential expiries. The fake AWS
 * issues 3-second sessions, so a 12-second child lives through several of them, with boto3
 * and the real AWS CLI reading credentials from awsguard's loopback endpoint.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runAsync } from '../support/cli.js';
import { requirePython, requireTool } from '../support/require-tool.js';
import { createWorld, type World } from '../support/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => w.close());

const boto3 = requirePython('boto3');
const aws = requireTool('/usr/bin/aws');

/** Listening TCP sockets on a port, from /proc/net/tcp (state 0A = LISTEN). */
function listeners(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
    .map((f) => f[1]!);
}

describe.skipIf(boto3.skip || aws.skip)(boto3.label(aws.label('exec --server')), () => {
  it('keeps boto3 and the AWS CLI working across three expiries, refuses other callers, and stops with the child', async () => {
    boto3.assert();
    aws.assert();
    w.fake.setSessionLifetime(3);
    const env = { ...w.env, AWS_DATA_PATH: w.fake.botocoreDataPath() };
    const r = await runAsync(process.execPath, [BIN, 'exec', '--server', '-p', 'ci', '--', '/usr/bin/python3', 'test/fixtures-bin/server-child.py', '12'], env, '', 80_000);
    w.fake.setSessionLifetime(undefined);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      url: string;
      boto3_ok: number;
      boto3_errors: string[];
      cli_ok: number;
      cli_errors: string[];
      keys: string[];
      no_token: number;
      wrong_token: number;
      static_keys_in_env: boolean;
    };
    expect(report.boto3_errors).toEqual([]);
    expect(report.cli_errors).toEqual([]);
    expect(report.boto3_ok).toBeGreaterThanOrEqual(6);
    expect(report.cli_ok).toBeGreaterThanOrEqual(6);
    // Three-second sessions over twelve seconds or more: at least three renewals were served.
    expect(report.keys.length).toBeGreaterThanOrEqual(4);
    expect(report.static_keys_in_env).toBe(false);
    expect(report.no_token).toBe(403);
    expect(report.wrong_token).toBe(403);
    const url = new URL(report.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(listeners(Number(url.port))).toEqual([]);
    const audit = readFileSync(`${w.home}/.local/state/awsguard/audit.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const last = audit.at(-1) as { server?: { renewals: number; refused: number } };
    expect(last.server?.renewals).toBeGreaterThanOrEqual(3);
    expect(last.server?.refused).toBe(2);
  }, 90_000);

  it('binds to loopback only while the child runs', async () => {
    const script = `import os, urllib.parse; u = urllib.parse.urlparse(os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]); lines = open("/proc/net/tcp").read().splitlines()[1:]; print([l.split()[1] for l in lines if l.split()[1].endswith(":%04X" % u.port) and l.split()[3] == "0A"])`;
    const r = await runAsync(process.execPath, [BIN, 'exec', '--server', '-p', 'ci', '--', '/usr/bin/python3', '-c', script], w.env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\['0100007F:[0-9A-F]{4}'\]$/);
  });
});
