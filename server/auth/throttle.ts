// Login throttling by address across all accounts, and by account across all addresses,
// with delays that grow with each failure. An address that has not failed is never held
// back, so a right password from a fresh address always gets through, and nobody can lock
// an account's owner out by failing on purpose from elsewhere.

export interface ThrottleOptions {
  /** failures allowed without delay */
  free: number;
  windowMs: number;
  /** the first delay past the free failures, doubled with each further one */
  baseDelayMs: number;
  maxDelayMs: number;
  /** addresses and accounts remembered at most */
  maxKeys: number;
}

const DEFAULTS: ThrottleOptions = { free: 5, windowMs: 15 * 60_000, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, maxKeys: 50_000 };

class Failures {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly o: ThrottleOptions) {}

  recent(key: string, now: number): number[] {
    const kept = (this.times.get(key) ?? []).filter((t) => t > now - this.o.windowMs);
    if (kept.length) this.times.set(key, kept);
    else this.times.delete(key);
    return kept;
  }

  /** ms before the next try under `key` is allowed */
  wait(key: string, now: number): number {
    const t = this.recent(key, now);
    if (t.length < this.o.free) return 0;
    const delay = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (t.length - this.o.free));
    return Math.max(0, t[t.length - 1]! + delay - now);
  }

  add(key: string, at: number): void {
    if (!this.times.has(key) && this.times.size >= this.o.maxKeys) {
      // the oldest remembered key goes first (Map keeps insertion order)
      this.times.delete(this.times.keys().next().value!);
    }
    this.times.set(key, [...(this.times.get(key) ?? []), at].slice(-64));
  }

  remove(key: string, at: number): void {
    const t = this.times.get(key);
    if (!t) return;
    const i = t.lastIndexOf(at);
    if (i >= 0) t.splice(i, 1);
    if (!t.length) this.times.delete(key);
  }
}

export class LoginThrottle {
  private readonly o: ThrottleOptions;
  private readonly byAddress: Failures;
  private readonly byAccount: Failures;

  constructor(opts: Partial<ThrottleOptions> = {}) {
    this.o = { ...DEFAULTS, ...opts };
    this.byAddress = new Failures(this.o);
    this.byAccount = new Failures(this.o);
  }

  /** ms the attempt must wait; 0 when it may go on. */
  wait(address: string, username: string, now = Date.now()): number {
    const own = this.byAddress.wait(address, now);
    // an account under attack holds back only addresses that have failed themselves
    const shared = this.byAddress.recent(address, now).length ? this.byAccount.wait(username, now) : 0;
    return Math.max(own, shared);
  }

  /**
   * Counts the attempt as a failure before the password is checked (so parallel attempts
   * cannot all slip in); `succeeded` takes it back.
   */
  attempt(address: string, username: string, now = Date.now()): { succeeded: () => void } {
    this.byAddress.add(address, now);
    this.byAccount.add(username, now);
    return {
      succeeded: () => {
        this.byAddress.remove(address, now);
        this.byAccount.remove(username, now);
      },
    };
  }
}
