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
  latencyMs = 0;

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
    return undefined;
  }

  clear(): void {
    this.queued.clear();
  }
}
