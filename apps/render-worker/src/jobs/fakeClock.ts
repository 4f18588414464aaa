import type { Sleep } from "./workerLoop";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** A manual clock for tests: `sleep` resolves only when `advance` moves time past it. */
export class FakeClock {
  private t: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.t = start;
  }

  readonly now = (): Date => new Date(this.t);

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        resolve();
      };
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      this.timers.push(timer);
      signal?.addEventListener("abort", onAbort, { once: true });
    });

  /** Moves time forward by `ms`, firing due timers in order and letting every promise settle between. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
    }
    this.t = end;
    await settle();
  }

  /** Advances in `stepMs` steps until `done()` holds; throws after `maxMs` of fake time. */
  async runUntil(done: () => boolean | Promise<boolean>, stepMs = 50, maxMs = 600_000): Promise<void> {
    for (let spent = 0; !(await done()); spent += stepMs) {
      if (spent > maxMs) throw new Error(`condition not met after ${maxMs} ms of fake time`);
      await this.advance(stepMs);
    }
  }
}

/** Lets every pending promise chain run (a real macrotask turn, no real waiting). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
