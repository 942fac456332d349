/**
 * The command layer's side of the [network] settings: it installs the policy every AWS client
 * uses (credentials/network.ts) and is the one that tells the person when awsguard is waiting.
 */
import { installNetworkPolicy, SERVICE_NAMES, showMillis, type RetryNotice } from '../credentials/network.js';
import { loadSettings } from '../guard/settings.js';
import type { CommandContext } from './context.js';

export function retryLine(n: RetryNotice): string {
  const service = SERVICE_NAMES[n.service];
  const why = n.throttled ? `${service} is throttling` : `${service} answered ${n.code}`;
  return `awsguard: ${why}; retrying in ${showMillis(Math.max(n.delayMs, 1))} (attempt ${n.attempt} of ${n.maxAttempts})\n`;
}

/** Read lazily: only a command that calls AWS reads the settings for this. */
export function installNetwork(ctx: CommandContext): void {
  installNetworkPolicy(() => ({ ...loadSettings(ctx.env).network, onRetry: (n) => ctx.stderr.write(retryLine(n)) }));
}
