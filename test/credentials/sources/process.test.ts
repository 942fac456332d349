/**
 * credential_process: a real script run without a shell, its output parsed as the documented
 * format; long-term keys from it are turned into a session by the fake STS.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcess, parseProcessOutput, resolveProcessCredentials } from '../../../src/credentials/sources/process.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const { resolve } = t;

describe('credential_process', () => {
  function withProcess(script: string): string {
    const path = join(t.w.home, 'creds.sh');
    writeFileSync(path, `#!/bin/sh\n${script}\n`);
    chmodSync(path, 0o755);
    writeFileSync(t.w.env.AWS_CONFIG_FILE!, `[profile proc]\ncredential_process = ${path} --flag "two words"\nregion = eu-west-1\n`);
    return path;
  }

  it('turns long-term keys from the process into a session', async () => {
    withProcess(`echo '{"Version": 1, "AccessKeyId": "AKIAFAKECIBOT0000001", "SecretAccessKey": "FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu"}'`);
    const r = await resolve('proc');
    expect(r.credentials.accessKeyId).toMatch(/^ASIA/);
    expect(t.w.fake.calls('GetSessionToken')).toBe(1);
  });

  it('explains a failure with its stderr, and never shows its stdout', async () => {
    withProcess(`echo '{"SecretAccessKey": "FAKEsecretprintedbyprocess0000000000000' ; echo 'token expired, run sso-tool login' >&2; exit 3`);
    const err = await failure(resolve('proc'));
    expect(err.message).toContain('failed (exit code 3); it said:\n  token expired, run sso-tool login');
    expect(err.message).not.toContain('FAKEsecret');
    withProcess(`echo 'not json FAKEsecretprintedbyprocess0000000000000'`);
    const garbage = await failure(resolve('proc'));
    expect(garbage.message).toMatch(/printed something that is not JSON/);
    expect(garbage.message).not.toContain('FAKEsecret');
  });

  it('stops a process that hangs', async () => {
    withProcess('sleep 30');
    const started = Date.now();
    const err = await failure(resolve('proc', { processTimeoutMs: 300 }));
    expect(err.message).toContain("did not finish within 0.3s and was stopped");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('hands on a session the process made as it is, without calling STS', async () => {
    const path = withProcess(`printf '%s\\n' "$@" > "$0.args"; echo '{"Version": 1, "AccessKeyId": "ASIAFAKEPROCESS00001", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2030-01-01T00:00:00Z"}'`);
    const r = await resolve('proc');
    expect(r.credentials).toEqual({ accessKeyId: 'ASIAFAKEPROCESS00001', secretAccessKey: 's', sessionToken: 't', expiration: new Date('2030-01-01T00:00:00Z') });
    expect(t.w.fake.requests).toHaveLength(0);
    // Split as botocore splits it (shlex), no shell in between.
    expect(readFileSync(`${path}.args`, 'utf8')).toBe('--flag\ntwo words\n');
  });
});

describe('resolveProcessCredentials and the output format', () => {
  const parse = (out: unknown) => parseProcessOutput('p', 'helper', typeof out === 'string' ? out : JSON.stringify(out));

  it('runs the command with the environment given and names the profile asked for', async () => {
    const base = { kind: 'process' as const, profile: 'proc', command: `sh -c 'echo "{\\"Version\\": 1, \\"AccessKeyId\\": \\"$K\\", \\"SecretAccessKey\\": \\"x\\"}"'` };
    expect(isProcess(base)).toBe(true);
    expect(await resolveProcessCredentials('asked', base, { env: { ...t.w.env, K: 'AKIAFROMENV000000001' }, timeoutMs: 5000 })).toEqual({ accessKeyId: 'AKIAFROMENV000000001', secretAccessKey: 'x' });
    const err = await failure(resolveProcessCredentials('asked', { ...base, command: 'false' }, { env: t.w.env, timeoutMs: 5000 }));
    expect(err.message).toMatch(/^asked: credential_process: /);
  });

  it('refuses what is not the documented format, saying what is wrong', () => {
    expect(() => parse('[1]')).toThrow('helper printed JSON that is not an object');
    expect(() => parse({ Version: 2, AccessKeyId: 'a', SecretAccessKey: 'b' })).toThrow('helper printed Version 2; only Version 1 is supported');
    expect(() => parse({ Version: 1, AccessKeyId: '' })).toThrow('helper printed no AccessKeyId or SecretAccessKey');
    expect(() => parse({ Version: 1, AccessKeyId: 'a', SecretAccessKey: 'b', Expiration: 'soon' })).toThrow('helper printed an Expiration that is not an ISO 8601 time');
    expect(parse({ Version: 1, AccessKeyId: 'a', SecretAccessKey: 'b', SessionToken: '' })).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
  });
});
