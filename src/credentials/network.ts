/**
 * How long awsguard waits for AWS and how often it tries again: the `[network]` settings, and
 * the retry strategy every SDK client gets. The command layer installs the policy (from the
 * settings, with a callback that tells the person when awsguard is waiting); the core never
 * prints. A client made before any policy is installed gets the defaults and stays silent.
 */
import type { Service } from './aws-clients.js';

export interface NetworkSettings {
  /** [network] connect_timeout: a TCP (and TLS) connection must be made within this. */
  connectTimeoutMs: number;
  /** [network] request_timeout: one attempt, from sending to the whole answer, within this. */
  requestTimeoutMs: number;
  /** [network] attempts: tries for a call that fails transiently (5xx, a reset connection). */
  attempts: number;
  /** [network] throttle_attempts: tries while AWS answers Throttling / TooManyRequests. */
  throttleAttempts: number;
  /** [network] retry_delay and throttle_delay: the bases of the SDK's exponential backoff. */
  retryDelayMs: number;
  throttleDelayMs: number;
}

export const DEFAULT_NETWORK: NetworkSettings = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  attempts: 3,
  throttleAttempts: 5,
  // The SDK's own bases (@smithy/core retry: Retry.delay(), Retry.throttlingDelay()).
  retryDelayMs: 50,
  throttleDelayMs: 1_000,
};

/** Said when awsguard is about to wait before trying a call again. */
export interface RetryNotice {
  service: Service;
  /** The error AWS answered (Throttling, TooManyRequestsException, InternalFailure, ...). */
  code: string;
  throttled: boolean;
  delayMs: number;
  /** The attempt about to be made, and how many there may be. */
  attempt: number;
  maxAttempts: number;
}

export interface NetworkPolicy extends NetworkSettings {
  onRetry?: (notice: RetryNotice) => void;
}

let installed: (() => NetworkPolicy) | undefined;

/**
 * Installs the policy every client made from now on uses. A function, so the settings are read
 * only when a call to AWS is made (a cache hit never reads them for this).
 */
export function installNetworkPolicy(policy: () => NetworkPolicy): void {
  let cached: NetworkPolicy | undefined;
  installed = () => (cached ??= policy());
}

export function currentNetworkPolicy(): NetworkPolicy {
  return installed?.() ?? DEFAULT_NETWORK;
}

export const SERVICE_NAMES: Record<Service, string> = { sts: 'STS', iam: 'IAM', sso: 'the SSO portal', 'sso-oidc': 'SSO-OIDC' };

/** `30s`, `1.5s`, `250ms`: how the settings are written back in messages. */
export function showMillis(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
}

/** The message for a call that timed out: where awsguard waited, how long, and what to change. */
export function timeoutMessage(kind: 'connect' | 'request', endpoint: string, ms: number): string {
  return kind === 'connect'
    ? `could not connect to ${endpoint} within ${showMillis(ms)} (connect timeout; [network] connect_timeout)`
    : `no answer from ${endpoint} within ${showMillis(ms)} (request timeout; [network] request_timeout)`;
}

/** A timeout the request handler raised: which one, so the message can name the setting. */
export function timeoutKind(err: unknown): 'connect' | 'request' | undefined {
  const e = err as { name?: string; message?: string } | undefined;
  if (e?.name !== 'TimeoutError') return undefined;
  return /did not establish a connection/.test(e.message ?? '') ? 'connect' : 'request';
}

interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
  getRetryCost(): number | undefined;
}

interface RetryErrorInfo {
  error?: unknown;
  errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
  retryAfterHint?: Date;
}

type StandardStrategy = InstanceType<typeof import('@smithy/core/retry').StandardRetryStrategy>;

/**
 * The SDK's standard retry strategy (its error classification, retry quota, Retry-After
 * handling and full-jitter exponential backoff), with three changes: throttling may be tried
 * more often than other faults, a timeout is not retried (an endpoint that did not answer in
 * the request timeout will not answer the next attempt either, and the person has waited long
 * enough), and the wait is announced before it starts. The SDK's strategy computes the wait in
 * its backoff and sleeps itself; the backoff given to it here is where the wait is known.
 */
export async function retryStrategy(service: Service, policy: NetworkPolicy) {
  const { StandardRetryStrategy, MAXIMUM_RETRY_DELAY, Retry } = await import('@smithy/core/retry');
  let pending: { code: string; throttled: boolean; attempt: number; maxAttempts: number } | undefined;
  let base = policy.retryDelayMs;
  const backoff = {
    setDelayBase(delay: number) {
      // The strategy picks the base by error type; the policy's bases replace the SDK's.
      base = delay === Retry.throttlingDelay() ? policy.throttleDelayMs : policy.retryDelayMs;
    },
    computeNextBackoffDelay(retries: number) {
      const delay = Math.floor(Math.random() * Math.min(base * 2 ** retries, MAXIMUM_RETRY_DELAY));
      if (pending && policy.onRetry) policy.onRetry({ service, delayMs: delay, ...pending });
      pending = undefined;
      return delay;
    },
  };
  const inner: StandardStrategy = new StandardRetryStrategy({ maxAttempts: Math.max(policy.attempts, policy.throttleAttempts), baseDelay: policy.retryDelayMs, backoff });
  return {
    mode: inner.mode,
    acquireInitialRetryToken: (scope: string) => inner.acquireInitialRetryToken(scope),
    recordSuccess: (token: RetryToken) => inner.recordSuccess(token as Parameters<StandardStrategy['recordSuccess']>[0]),
    async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo) {
      const throttled = info.errorType === 'THROTTLING';
      const maxAttempts = throttled ? policy.throttleAttempts : policy.attempts;
      const made = token.getRetryCount() + 1;
      if (timeoutKind(info.error) || made >= maxAttempts) throw new Error('no retry');
      const e = info.error as { name?: string; Code?: string; code?: string } | undefined;
      // Each client makes its calls one after another, so the wait computed next is this one's.
      // A network failure is a plain Error whose code says what happened (ENOTFOUND, ECONNRESET).
      const name = e?.name && e.name !== 'Error' ? e.name : undefined;
      pending = { code: e?.Code ?? name ?? e?.code ?? 'error', throttled, attempt: made + 1, maxAttempts };
      try {
        return await inner.refreshRetryTokenForRetry(token as Parameters<StandardStrategy['refreshRetryTokenForRetry']>[0], info as Parameters<StandardStrategy['refreshRetryTokenForRetry']>[1]);
      } finally {
        pending = undefined;
      }
    },
  };
}
