/** What the command layer says while awsguard waits on AWS: retry notices and listing progress. */
import { describe, expect, it } from 'vitest';
import { listingProgress } from '../../src/commands/listing-progress.js';
import { retryLine, retryNotices } from '../../src/commands/network.js';
import type { RetryNotice } from '../../src/credentials/network.js';

const notice = (over: Partial<RetryNotice> = {}): RetryNotice => ({ service: 'sts', code: 'Throttling', throttled: true, delayMs: 1200, attempt: 2, maxAttempts: 5, ...over });

describe('retry notices', () => {
  it('name the service, the wait and the attempt', () => {
    expect(retryLine(notice())).toBe('awsguard: STS is throttling; retrying in 1.2s (attempt 2 of 5)\n');
    expect(retryLine(notice({ service: 'iam', throttled: false, code: 'InternalFailure', delayMs: 37, attempt: 3, maxAttempts: 3 }))).toBe(
      'awsguard: IAM answered InternalFailure; retrying in 37ms (attempt 3 of 3)\n',
    );
    expect(retryLine(notice({ service: 'iam', throttled: false, code: 'ENOTFOUND', delayMs: 20, attempt: 2, maxAttempts: 3 }))).toBe(
      'awsguard: cannot reach IAM (ENOTFOUND); retrying in 20ms (attempt 2 of 3)\n',
    );
  });

  it('one call\'s attempts each get a line; many calls waiting at once collapse', () => {
    const lines: string[] = [];
    let t = 0;
    const say = retryNotices((l) => lines.push(l), () => t);
    say(notice({ attempt: 2 }));
    say(notice({ attempt: 3 }));
    expect(lines).toHaveLength(2);
    for (let i = 0; i < 20; i++) say(notice({ service: 'sso', attempt: 2 }));
    expect(lines).toHaveLength(3);
    t = 5_000;
    say(notice({ service: 'sso', attempt: 2 }));
    expect(lines).toHaveLength(4);
  });
});

/** A progress reporter on a clock the test moves, and the lines it wrote. */
function following() {
  const lines: string[] = [];
  const clock = { t: 0 };
  const p = listingProgress({ stderr: { write: (l: string) => lines.push(l), isTTY: false } }, () => clock.t);
  const at = (t: number) => (clock.t = t);
  /** A listing of `accounts`, each account's roles taking `ms`. */
  const list = (accounts: number, ms: number) => {
    p({ accounts, rolesListed: 0 });
    for (let i = 1; i <= accounts; i++) {
      at(i * ms);
      p({ accounts, rolesListed: i });
    }
  };
  return { lines, p, at, list };
}

describe('listing progress', () => {
  it('says nothing for a quick listing of a few accounts', () => {
    const { lines, list } = following();
    list(12, 10);
    expect(lines).toEqual([]);
  });

  it('follows many accounts from the start, a line a second at most, and always the last', () => {
    const { lines, list } = following();
    list(150, 20);
    expect(lines[0]).toBe('awsguard: listing roles in 150 accounts...\n');
    expect(lines.at(-1)).toBe('awsguard: listed roles in 150 of 150 accounts\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5); // 3 s of listing
  });

  it('a slow listing of a few accounts is followed once it has taken a while', () => {
    const { lines, p, at } = following();
    p({ accounts: 3, rolesListed: 0 });
    at(2_500);
    p({ accounts: 3, rolesListed: 1 });
    at(2_600);
    p({ accounts: 3, rolesListed: 2 });
    at(2_700);
    p({ accounts: 3, rolesListed: 3 });
    expect(lines).toEqual(['awsguard: listed roles in 1 of 3 accounts\n', 'awsguard: listed roles in 3 of 3 accounts\n']);
  });
});
