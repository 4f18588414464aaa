/**
 * Sign-in attempts limited per account AND address, so that guessing one account's password is slow
 * wherever it comes from, while a whole class signing in from one school address never locks itself
 * out (each pupil's account has its own budget at that address).
 *
 * - per (account, address): `perPair` failures in `windowMs`, then refused until the window slides;
 * - per account from all addresses: `perAccount` failures (a distributed guess);
 * - per address over all accounts: `perAddress` attempts (a sweep over many usernames), high enough
 *   for a class of 60 signing in at once, twice.
 * A success clears the (account, address) failures. Kept in memory: one web process per database in
 * the embedded default; several processes share it through Redis on the scale path (not yet built).
 */
export interface SignInLimits {
  readonly windowMs: number;
  readonly perPair: number;
  readonly perAccount: number;
  readonly perAddress: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  windowMs: 15 * 60_000,
  perPair: 8,
  perAccount: 40,
  perAddress: 600,
};

export interface LimitDecision {
  readonly allowed: boolean;
  /** Seconds until a refused attempt may be tried again. */
  readonly retryAfterSeconds: number;
}

export class SignInLimiter {
  private readonly pairFailures = new Map<string, number[]>();
  private readonly accountFailures = new Map<string, number[]>();
  private readonly addressAttempts = new Map<string, number[]>();

  constructor(
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether an attempt may go ahead; counts it against the address. */
  check(account: string, address: string): LimitDecision {
    const t = this.now();
    const acct = account.trim().toLowerCase();
    const checks: [Map<string, number[]>, string, number][] = [
      [this.pairFailures, `${acct}\u0000${address}`, this.limits.perPair],
      [this.accountFailures, acct, this.limits.perAccount],
      [this.addressAttempts, address, this.limits.perAddress],
    ];
    let retryAt = 0;
    for (const [map, key, max] of checks) {
      const times = this.live(map, key, t);
      if (times.length >= max) retryAt = Math.max(retryAt, (times[times.length - max] ?? t) + this.limits.windowMs);
    }
    if (retryAt > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - t) / 1000)) };
    this.push(this.addressAttempts, address, t);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  /** Records the outcome of an attempt that went ahead. */
  record(account: string, address: string, succeeded: boolean): void {
    const t = this.now();
    const acct = account.trim().toLowerCase();
    const pair = `${acct}\u0000${address}`;
    if (succeeded) {
      this.pairFailures.delete(pair);
      return;
    }
    this.push(this.pairFailures, pair, t);
    this.push(this.accountFailures, acct, t);
  }

  private live(map: Map<string, number[]>, key: string, t: number): number[] {
    const times = map.get(key);
    if (!times) return [];
    const from = t - this.limits.windowMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= from) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) map.delete(key);
    return times;
  }

  private push(map: Map<string, number[]>, key: string, t: number): void {
    const times = map.get(key);
    if (times) times.push(t);
    else map.set(key, [t]);
    // Bound memory under a flood of distinct keys: forget the oldest entries.
    if (map.size > 100_000) {
      const first = map.keys().next().value;
      if (first !== undefined) map.delete(first);
    }
  }
}
