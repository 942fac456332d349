/**
 * How long credentials have left, in the words the identity line (tty/identity-line.ts),
 * `whoami` and the prompt use. Pure: the core may use it, and it prints nothing.
 */

/**
 * `59m left`, `1h05m left`, `<1m left`, `EXPIRED`. Minutes round down: never promise time that
 * is not there. Whole seconds first, as the shell prompts count (AWSGUARD_EXPIRES against the
 * shell's clock, shell/*): the identity line and the prompt say the same for the same session.
 */
export function timeLeft(expiresAt: Date, now: number): string {
  const seconds = Math.floor(expiresAt.getTime() / 1000) - Math.floor(now / 1000);
  if (seconds <= 0) return 'EXPIRED';
  const minutes = Math.floor(seconds / 60);
  if (minutes === 0) return '<1m left';
  if (minutes < 60) return `${minutes}m left`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m left`;
}
