/**
 * Container credentials (credential_source = EcsContainer): the endpoint ECS, CodeBuild, EKS Pod
 * Identity (and `awsguard exec --server`) give a process in AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * or _FULL_URI. The hosts allowed for plain http are botocore's and the SDKs': the ECS and EKS
 * link-local addresses and loopback; anything else must be https.
 */
import { readFileSync } from 'node:fs';
import { CredentialError, displayPath } from '../../errors.js';
import type { BaseSource } from '../../config/chain.js';
import type { TemporaryCredentials } from '../types.js';

export type ContainerBase = Extract<BaseSource, { kind: 'credential-source' }> & { source: 'EcsContainer' };

export function isContainer(base: BaseSource): base is ContainerBase {
  return base.kind === 'credential-source' && base.source === 'EcsContainer';
}

const ECS_HOST = '169.254.170.2';
const HTTP_HOSTS = new Set([ECS_HOST, '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]']);
const TIMEOUT_MS = 2000;

/** `profile`: the profile asked for, first in the error. */
export async function resolveContainerCredentials(profile: string, env: NodeJS.ProcessEnv): Promise<TemporaryCredentials> {
  const step = 'credential_source EcsContainer';
  const fail = (detail: string, code?: string): never => {
    throw new CredentialError(profile, step, detail, code);
  };
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!relative && !full) fail('neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set', 'NoCredentials');
  let url: URL;
  try {
    url = new URL(relative ? `http://${ECS_HOST}${relative}` : full!);
  } catch {
    return fail(`${relative ? 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI' : 'AWS_CONTAINER_CREDENTIALS_FULL_URI'} is not a URL`);
  }
  if (url.protocol === 'http:' && !HTTP_HOSTS.has(url.hostname) && !/^127\.\d+\.\d+\.\d+$/.test(url.hostname)) {
    fail(`refusing plain http to ${url.hostname}: container credentials come over http only from loopback or the ECS/EKS link-local addresses`);
  } else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`AWS_CONTAINER_CREDENTIALS_FULL_URI must be http or https, not ${url.protocol}`);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const tokenFile = env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (tokenFile) {
    try {
      headers.authorization = readFileSync(tokenFile, 'utf8').trim();
    } catch (err) {
      fail(`cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${displayPath(tokenFile)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN) {
    headers.authorization = env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
  }
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    status = res.status;
    text = await res.text();
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return fail(`cannot reach the container credentials endpoint ${url.host}: ${e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000}s` : (e.cause?.code ?? e.message)}`);
  }
  // Neither the body nor the URL's query is shown: either may carry a credential.
  if (status !== 200) fail(`the container credentials endpoint ${url.host} answered HTTP ${status}`);
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return fail(`the container credentials endpoint ${url.host} answered something that is not JSON`);
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = data;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof Token !== 'string' || !AccessKeyId || !SecretAccessKey || !Token) {
    fail(`the container credentials endpoint ${url.host} gave no complete credentials`);
  }
  const expiration = new Date(typeof Expiration === 'string' ? Expiration : NaN);
  if (Number.isNaN(expiration.getTime())) fail(`the container credentials endpoint ${url.host} gave no Expiration`);
  return { accessKeyId: AccessKeyId as string, secretAccessKey: SecretAccessKey as string, sessionToken: Token as string, expiration };
}
