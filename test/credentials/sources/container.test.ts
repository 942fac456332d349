/**
 * credential_source = EcsContainer: the container credentials endpoint, played by a loopback
 * server that hands out a real session from the fake STS.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../../../src/credentials/resolver.js';
import { isContainer, resolveContainerCredentials } from '../../../src/credentials/sources/container.js';
import { credentialFailure as failure, useResolverWorld } from '../../support/resolve.js';

const t = useResolverWorld();
const { resolve, opts, arnOf } = t;
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' };
let close: (() => void) | undefined;
afterEach(() => close?.());

/** An endpoint answering `answer(req)`; its URL. */
async function endpoint(answer: (req: IncomingMessage) => { status: number; body: string }): Promise<string> {
  const server = createServer((req, res) => {
    const { status, body } = answer(req);
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('credential_source in a pipeline', () => {
  it('EcsContainer: the container endpoint (with its authorization token) is the base', async () => {
    writeFileSync(t.w.env.AWS_CONFIG_FILE!, `[profile from-container]\nrole_arn = arn:aws:iam::222222222222:role/ReadOnly\ncredential_source = EcsContainer\n`);
    const base = await resolveEnvironment(opts({ env: { ...t.w.env, AWS_ACCESS_KEY_ID: 'AKIAFAKECIBOT0000001', AWS_SECRET_ACCESS_KEY: 'FAKERYz6HuHPobM0GilOCggJytGBdqtQ0hh7AZdu' } }));
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.headers.authorization !== 'container-secret') return void res.writeHead(401).end();
      const c = base.credentials;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration!.toISOString() }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/creds?id=1`;
      const env = { ...t.w.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-secret' };
      const r = await resolve('from-container', { env });
      expect(await arnOf(r.credentials)).toMatch(/^arn:aws:sts::222222222222:assumed-role\/ReadOnly\//);
      expect(seen).toEqual(['/creds?id=1 container-secret']);
      const refused = await failure(resolve('from-container', { env: { ...env, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' }, refresh: true }));
      expect(refused.message).toBe(`from-container: credential_source EcsContainer: the container credentials endpoint 127.0.0.1:${(server.address() as AddressInfo).port} answered HTTP 401`);
      const remote = await failure(resolve('from-container', { env: { ...t.w.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://example.com/creds' }, refresh: true }));
      expect(remote.message).toContain('refusing plain http to example.com');
    } finally {
      server.close();
    }
  });
});

describe('resolveContainerCredentials', () => {
  it("reads the authorization token from its file (EKS Pod Identity) and gives the endpoint's session", async () => {
    expect(isContainer({ kind: 'credential-source', profile: 'p', source: 'EcsContainer' })).toBe(true);
    const session = (await resolveEnvironment(opts({ env: { ...t.w.env, ...KEYS } }))).credentials;
    const tokenFile = join(t.w.home, 'pod-token');
    writeFileSync(tokenFile, 'pod-secret\n');
    const url = await endpoint((req) =>
      req.headers.authorization === 'pod-secret'
        ? { status: 200, body: JSON.stringify({ AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, Token: session.sessionToken, Expiration: session.expiration!.toISOString() }) }
        : { status: 403, body: '{}' },
    );
    const c = await resolveContainerCredentials('p', { AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'ignored' });
    expect(await arnOf(c)).toBe('arn:aws:iam::111111111111:user/ci-bot');
  });

  it('says what is wrong with the endpoint or its answer, never showing the answer', async () => {
    const env = (full: string) => ({ AWS_CONTAINER_CREDENTIALS_FULL_URI: full });
    expect((await failure(resolveContainerCredentials('p', {}))).code).toBe('NoCredentials');
    expect((await failure(resolveContainerCredentials('p', env('not a url')))).message).toContain('AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL');
    expect((await failure(resolveContainerCredentials('p', env('ftp://127.0.0.1/x')))).message).toContain('must be http or https, not ftp:');
    let url = await endpoint(() => ({ status: 200, body: 'FAKEsecret not json' }));
    let err = await failure(resolveContainerCredentials('p', env(url)));
    expect(err.message).toMatch(/answered something that is not JSON$/);
    close!();
    url = await endpoint(() => ({ status: 200, body: JSON.stringify({ AccessKeyId: 'ASIA1', SecretAccessKey: 'FAKEsecret', Token: 't' }) }));
    err = await failure(resolveContainerCredentials('p', env(url)));
    expect(err.message).toMatch(/gave no Expiration$/);
    expect(err.message).not.toContain('FAKEsecret');
  });
});
