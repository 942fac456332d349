/** `59m left`, `2h05m left`, `expired`: how long a session still has, for people. */
export function timeLeft(expiration: Date, now: number): string {
  const seconds = Math.floor((expiration.getTime() - now) / 1000);
  if (seconds <= 0) return 'expired';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m left`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m left`;
}
