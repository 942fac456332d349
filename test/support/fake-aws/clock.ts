/**
 * The fake's notion of "now". It runs at wall-clock speed from an offset, so
 * clients that sign with their own clock (the SDK, the AWS CLI) stay within the
 * 15-minute SigV4 window unless a test deliberately moves the clock. Tests move
 * it instead of sleeping: every expiry check, the SigV4 time window and the HTTP
 * `Date` header read this clock.
 */
export interface Clock {
  /** Milliseconds since the epoch, as the fake AWS sees it. */
  now(): number;
  /** Move the clock forward (or back, with a negative value) by `seconds`. */
  advance(seconds: number): void;
  /** Jump to an absolute time in ms; the clock keeps running from there. */
  set(ms: number): void;
}

export function createClock(startMs?: number): Clock {
  let offset = startMs === undefined ? 0 : startMs - Date.now();
  return {
    now: () => Date.now() + offset,
    advance: (seconds) => {
      offset += seconds * 1000;
    },
    set: (ms) => {
      offset = ms - Date.now();
    },
  };
}

/** `20240102T030405Z`: the SigV4 timestamp format. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `2024-01-02T03:04:05Z`: the awsQuery timestamp format STS uses for Expiration. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
