/**
 * The command layer's side of the [network] settings: it installs the policy every AWS client
 * uses (credentials/network.ts) and is the one that tells the person when awsguard is waiting.
 */
import { installNetworkPolicy, SERVICE_NAMES, showMillis, type RetryNotice } from '../credentials/network.js';
import { loadSettings } from '../guard/settings.js';
import type { CommandContext } from '../cli/context.js';

export function retryLine(n: RetryNotice): string {
  const service = SERVICE_NAMES[n.service];
  // ENOTFOUND, ECONNREFUSED, ...: nothing was answered, the connection failed.
  const why = n.throttled ? `${service} is throttling` : /^E[A-Z]+$/.test(n.code) ? `cannot reach ${service} (${n.code})` : `${service} answered ${n.code}`;
  return `awsguard: ${why}; retrying in ${showMillis(Math.max(n.delayMs, 1))} (attempt ${n.attempt} of ${n.maxAttempts})\n`;
}

/**
 * One line per wait for a single call; when many calls wait at once (listing hundreds of SSO
 * accounts), a line only when the attempt number grows or a few seconds have passed, so the
 * person sees that awsguard is waiting without a screenful of the same line.
 */
export function retryNotices(write: (line: string) => void, clock: () => number = () => performance.now()): (n: RetryNotice) => void {
  const last = new Map<string, { attempt: number; at: number }>();
  return (n) => {
    const key = `${n.service} ${n.throttled}`;
    const before = last.get(key);
    const t = clock();
    if (before && n.attempt <= before.attempt && t - before.at < 3_000) return;
    last.set(key, { attempt: n.attempt, at: t });
    write(retryLine(n));
  };
}

/** Read lazily: only a command that calls AWS reads the settings for this. */
export function installNetwork(ctx: CommandContext): void {
  installNetworkPolicy(() => ({ ...loadSettings(ctx.env).network, onRetry: retryNotices((line) => ctx.stderr.write(line)) }));
}
