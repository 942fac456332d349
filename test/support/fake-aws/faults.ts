/**
 * Injected failures and latency, so tests can exercise retries, throttling and
 * slow networks without a real outage.
 */
export interface InjectedFault {
  status: number;
  code: string;
  message?: string;
}

export class Faults {
  private readonly queued = new Map<string, InjectedFault[]>();
  /** Every `every`-th request for an action fails (a portal that throttles under load). */
  private readonly periodic = new Map<string, { every: number; fault: InjectedFault; seen: number }>();
  latencyMs = 0;

  /** Fail every `every`-th request for `action` (`'*'`: counted over all actions) until cleared. */
  failEvery(action: string, every: number, fault: InjectedFault): void {
    this.periodic.set(action, { every, fault, seen: 0 });
  }

  /** Fail the next `times` requests for `action` (`'*'`: any action). */
  failNext(action: string, fault: InjectedFault, times = 1): void {
    const list = this.queued.get(action) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.queued.set(action, list);
  }

  /** Takes the fault queued for this action, if any. */
  take(action: string): InjectedFault | undefined {
    for (const key of [action, '*']) {
      const list = this.queued.get(key);
      const fault = list?.shift();
      if (fault) return fault;
    }
    for (const key of [action, '*']) {
      const p = this.periodic.get(key);
      if (p && ++p.seen % p.every === 0) return p.fault;
    }
    return undefined;
  }

  clear(): void {
    this.queued.clear();
    this.periodic.clear();
  }
}
