/**
 * Where every AWS SDK client is made, from the parts listed in ./sdk/, always loaded lazily: a
 * cache hit never loads the SDK.
 * Endpoints come from the environment we are given (AWS_ENDPOINT_URL_<SERVICE>, then
 * AWS_ENDPOINT_URL), so tests and the demo point every call at the loopback fake AWS.
 */
import { readFileSync } from 'node:fs';
import type { NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { MiddlewareStack } from '@smithy/types';
import { fileTextsRead } from '../config/load.js';
import { currentNetworkPolicy, retryStrategy, timeoutKind, timeoutMessage, type NetworkPolicy } from './network.js';
import type { Credentials } from './types.js';

export type Service = 'sts' | 'iam' | 'sso' | 'sso-oidc';

const SERVICE_ENV: Record<Service, string> = {
  sts: 'AWS_ENDPOINT_URL_STS',
  iam: 'AWS_ENDPOINT_URL_IAM',
  sso: 'AWS_ENDPOINT_URL_SSO',
  'sso-oidc': 'AWS_ENDPOINT_URL_SSO_OIDC',
};

export interface ClientContext {
  env: NodeJS.ProcessEnv;
  region: string;
  /** Timeouts and retries; the policy the command layer installed when absent (network.ts). */
  network?: NetworkPolicy;
}

export function endpointFor(service: Service, env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  return env[SERVICE_ENV[service]] || env.AWS_ENDPOINT_URL || undefined;
}

interface BaseClientConfig {
  region: string;
  endpoint?: string;
  retryStrategy: Awaited<ReturnType<typeof retryStrategy>>;
  requestHandler: NodeHttpHandlerOptions;
  streamCollector: (stream: unknown) => Promise<Uint8Array>;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * Hands the SDK the shared config files as awsguard read them (config/load.ts), for the settings
 * it reads itself (FIPS, dual-stack, retries, app id...). It would read each again and keep its
 * own copy: at 50,000 profiles, 30 MiB of doctor's peak. A file read since is handed anew; one
 * awsguard did not read, or read under another path, the SDK reads as usual.
 */
async function shareFileTexts(): Promise<void> {
  const texts = fileTextsRead();
  if (texts.size === 0) return;
  const { externalDataInterceptor } = await import('@smithy/core/config');
  for (const [path, text] of texts) externalDataInterceptor.interceptFile(path, text);
}

async function baseConfig(service: Service, ctx: ClientContext, credentials?: Credentials): Promise<BaseClientConfig> {
  const [http, https] = await Promise.all([import('node:http'), import('node:https'), shareFileTexts()]);
  const policy = ctx.network ?? currentNetworkPolicy();
  // Each client makes one call: a kept-alive socket would only hold the process open after it.
  const config: BaseClientConfig = {
    region: ctx.region,
    retryStrategy: await retryStrategy(service, policy),
    requestHandler: {
      httpAgent: new http.Agent({ keepAlive: false }),
      httpsAgent: new https.Agent({ keepAlive: false }),
      // Without these an endpoint that accepts and never answers holds awsguard forever.
      connectionTimeout: policy.connectTimeoutMs,
      requestTimeout: policy.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    streamCollector: collectNodeStream,
  };
  const endpoint = endpointFor(service, ctx.env);
  if (endpoint) config.endpoint = endpoint;
  if (credentials) {
    config.credentials = { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey };
    if (credentials.sessionToken) config.credentials.sessionToken = credentials.sessionToken;
  }
  // The SDK for JavaScript does not read AWS_CA_BUNDLE itself; the CLI and boto3 do.
  if (ctx.env.AWS_CA_BUNDLE) {
    config.requestHandler = { ...config.requestHandler, httpsAgent: new https.Agent({ keepAlive: false, ca: readFileSync(ctx.env.AWS_CA_BUNDLE) }) };
  }
  return config;
}

/**
 * Reads a response body. The SDK's own collector first asks whether the body is a web Blob or
 * ReadableStream, and asking loads Node's web streams, about 2 ms of every cache miss; the
 * request handler of these clients (Node's http) always answers with a Node stream.
 */
export function collectNodeStream(stream: unknown): Promise<Uint8Array> {
  const body = stream as NodeJS.ReadableStream | null;
  if (typeof body?.on !== 'function') return Promise.reject(new TypeError(`a response body that is not a Node stream (${typeof stream})`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    body.on('error', reject);
    // Bytes of their own, as the SDK's collector gives them: a Buffer may be a view of Node's shared pool.
    body.on('end', () => {
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      resolve(bytes);
    });
  });
}

/**
 * The SDK warns on every Node 20 start that future versions will need Node 22: noise for a
 * person running a CLI. Its own switch is an environment variable, set only while a client is
 * made so it never reaches a child's environment.
 */
function quietly<T>(make: () => T): T {
  const name = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const had = process.env[name];
  process.env[name] = 'true';
  try {
    return make();
  } finally {
    if (had === undefined) delete process.env[name];
    else process.env[name] = had;
  }
}

/**
 * Any SDK client. `any`: each client's stack is typed by its own commands, and the note sees
 * only the HTTP request and the error, whatever the call.
 */
type Stackable = { middlewareStack: MiddlewareStack<any, any> };

/**
 * A timeout from the request handler names neither the endpoint nor the setting; this notes
 * both on the error, per attempt, so the message can say where awsguard waited and what to change.
 */
function noteTimeouts<C extends Stackable>(client: C, ctx: ClientContext): C {
  const policy = ctx.network ?? currentNetworkPolicy();
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const kind = timeoutKind(err);
        const req = (args as { request?: { protocol?: string; hostname?: string; port?: number } }).request;
        if (kind && req?.hostname && err && typeof err === 'object') {
          const endpoint = `${req.protocol ?? 'https:'}//${req.hostname}${req.port ? `:${req.port}` : ''}`;
          const ms = kind === 'connect' ? policy.connectTimeoutMs : policy.requestTimeoutMs;
          Object.assign(err, { $awsguardTimeout: { kind, endpoint, ms } satisfies TimeoutNote });
        }
        throw err;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'awsguardTimeoutNote' },
  );
  return client;
}

interface TimeoutNote {
  kind: 'connect' | 'request';
  endpoint: string;
  ms: number;
}

export async function stsClient(ctx: ClientContext, credentials: Credentials) {
  const { STSClient } = await import('./sdk/client-sts.js');
  const config = await baseConfig('sts', ctx, credentials);
  return noteTimeouts(quietly(() => new STSClient(config)), ctx);
}

/** For AssumeRoleWithWebIdentity, which takes no signature (the SDK sends that call unsigned anyway). */
export async function unsignedStsClient(ctx: ClientContext) {
  const { STSClient } = await import('./sdk/client-sts.js');
  const config = await baseConfig('sts', ctx);
  return noteTimeouts(quietly(() => new STSClient({ ...config, credentials: anonymous })), ctx);
}

export async function iamClient(ctx: ClientContext, credentials: Credentials) {
  const { IAMClient } = await import('./sdk/client-iam.js');
  const config = await baseConfig('iam', ctx, credentials);
  return noteTimeouts(quietly(() => new IAMClient(config)), ctx);
}

/** The SSO portal and SSO-OIDC are not SigV4-signed: a bearer token or client secret authenticates. */
export async function ssoClient(ctx: ClientContext) {
  const { SSOClient } = await import('./sdk/client-sso.js');
  const config = await baseConfig('sso', ctx);
  return noteTimeouts(quietly(() => new SSOClient({ ...config, credentials: anonymous })), ctx);
}

export async function oidcClient(ctx: ClientContext) {
  const { SSOOIDCClient } = await import('./sdk/client-sso-oidc.js');
  const config = await baseConfig('sso-oidc', ctx);
  return noteTimeouts(quietly(() => new SSOOIDCClient({ ...config, credentials: anonymous })), ctx);
}

// Unsigned clients still resolve a credential provider at construction; give them one that never looks around.
const anonymous = async () => ({ accessKeyId: '', secretAccessKey: '' });

/** The parts of an SDK error we show: its code, message and HTTP status. Never the request. */
export interface AwsFailure {
  code: string;
  message: string;
  status: number | undefined;
  /** A network failure rather than an answer from AWS. */
  network: boolean;
  /** No answer (or no connection) within the [network] timeouts; `message` says where and which. */
  timeout: boolean;
}

export function describeAwsError(err: unknown): AwsFailure {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number }; Code?: string; $awsguardTimeout?: TimeoutNote };
  const note = e.$awsguardTimeout;
  if (note) {
    return { code: 'TimeoutError', message: timeoutMessage(note.kind, note.endpoint, note.ms), status: undefined, network: true, timeout: true };
  }
  const network = ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(e.code ?? '') || e.name === 'TimeoutError';
  const code = network ? (e.code ?? 'NetworkError') : (e.Code ?? e.name ?? 'Error');
  return { code, message: String(e.message ?? err).split('\n')[0]!, status: e.$metadata?.httpStatusCode, network, timeout: false };
}
