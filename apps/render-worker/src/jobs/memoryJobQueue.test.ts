import { describe, expect, it } from "vitest";
import { FakeClock } from "./fakeClock";
import { backoffMs, leaseExpiredMessage } from "./jobQueue";
import { MemoryJobQueue } from "./memoryJobQueue";

const setup = (maxAttempts = 3) => {
  const clock = new FakeClock();
  const queue = new MemoryJobQueue<{ n: number }, string>({
    clock: clock.now,
    maxAttempts,
    backoff: { baseMs: 1_000, capMs: 5_000 },
  });
  return { clock, queue };
};

describe("backoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 60].map((n) => backoffMs(n, { baseMs: 1_000, capMs: 5_000 }))).toEqual([
      1_000, 2_000, 4_000, 5_000, 5_000, 5_000,
    ]);
  });
});

describe("MemoryJobQueue", () => {
  it("claims the oldest due job once, and nothing while its lease holds", async () => {
    const { clock, queue } = setup();
    const a = await queue.enqueue({ payload: { n: 1 } });
    await clock.advance(1);
    const b = await queue.enqueue({ payload: { n: 2 } });
    await queue.enqueue({ payload: { n: 3 }, runAfter: new Date(clock.now().getTime() + 60_000) });
    const first = await queue.claim("w1", 1_000, clock.now());
    expect(first).toMatchObject({ id: a.id, status: "running", leaseOwner: "w1", attempts: 1 });
    expect(first?.leaseUntil?.getTime()).toBe(clock.now().getTime() + 1_000);
    expect((await queue.claim("w2", 1_000, clock.now()))?.id).toBe(b.id);
    expect(await queue.claim("w3", 1_000, clock.now())).toBeNull();
  });

  it("gives an expired lease to another worker and refuses the old owner", async () => {
    const { clock, queue } = setup();
    const job = await queue.enqueue({ payload: { n: 1 } });
    await queue.claim("dead", 1_000, clock.now());
    await clock.advance(1_000);
    expect(await queue.claim("w2", 1_000, clock.now())).toBeNull(); // leaseUntil < now, strictly
    await clock.advance(1);
    expect(await queue.claim("w2", 1_000, clock.now())).toMatchObject({ leaseOwner: "w2", attempts: 2 });
    expect(await queue.heartbeat(job.id, "dead", 1_000, clock.now(), 0.5)).toBe(false);
    expect(await queue.complete(job.id, "dead", "late")).toBe(false);
    expect(await queue.fail(job.id, "dead", "late", clock.now())).toBe(false);
    expect(await queue.release(job.id, "dead")).toBe(false);
    expect(await queue.complete(job.id, "w2", "ok")).toBe(true);
    expect(await queue.complete(job.id, "w2", "again")).toBe(true); // idempotent
    expect(await queue.complete(job.id, "dead", "late")).toBe(false);
    expect(await queue.get(job.id)).toMatchObject({ status: "done", result: "ok", leaseOwner: "w2", progress: 1 });
  });

  it("retries with growing backoff, then fails for good with the error", async () => {
    const { clock, queue } = setup(3);
    const job = await queue.enqueue({ payload: { n: 1 } });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await clock.runUntil(async () => (await queue.get(job.id))!.runAfter <= clock.now(), 100);
      const claimed = await queue.claim("w", 10_000, clock.now());
      expect(claimed?.attempts).toBe(attempt);
      await queue.fail(job.id, "w", `try ${attempt}: the file is corrupt`, clock.now());
      const after = (await queue.get(job.id))!;
      if (attempt < 3) {
        expect(after.status).toBe("queued");
        delays.push(after.runAfter.getTime() - clock.now().getTime());
        expect(await queue.claim("w", 10_000, clock.now())).toBeNull();
      } else {
        expect(after).toMatchObject({ status: "failed", error: "try 3: the file is corrupt", leaseOwner: null });
      }
    }
    expect(delays).toEqual([1_000, 2_000]);
  });

  it("fails a permanent error at once", async () => {
    const { clock, queue } = setup(5);
    const job = await queue.enqueue({ payload: { n: 1 } });
    await queue.claim("w", 1_000, clock.now());
    await queue.fail(job.id, "w", "the chain is invalid", clock.now(), { permanent: true });
    expect(await queue.get(job.id)).toMatchObject({ status: "failed", attempts: 1, error: "the chain is invalid" });
  });

  it("release hands the job back without counting the attempt", async () => {
    const { clock, queue } = setup();
    const job = await queue.enqueue({ payload: { n: 1 } });
    await queue.claim("w", 1_000, clock.now());
    await queue.heartbeat(job.id, "w", 1_000, clock.now(), 0.4);
    expect(await queue.release(job.id, "w")).toBe(true);
    expect(await queue.get(job.id)).toMatchObject({ status: "queued", attempts: 0, leaseOwner: null, progress: 0 });
    expect(await queue.claim("w2", 1_000, clock.now())).toMatchObject({ attempts: 1, leaseOwner: "w2" });
  });

  it("fails a job whose worker died on its last attempt instead of running it again", async () => {
    const { clock, queue } = setup(1);
    const job = await queue.enqueue({ payload: { n: 1 } });
    const next = await queue.enqueue({ payload: { n: 2 } });
    await queue.claim("dead", 1_000, clock.now());
    await clock.advance(1_001);
    expect((await queue.claim("w2", 1_000, clock.now()))?.id).toBe(next.id);
    expect(await queue.get(job.id)).toMatchObject({ status: "failed", error: leaseExpiredMessage(1) });
  });

  it("heartbeats extend the lease and record progress, clamped to 0–1", async () => {
    const { clock, queue } = setup();
    const job = await queue.enqueue({ payload: { n: 1 } });
    await queue.claim("w", 1_000, clock.now());
    await clock.advance(800);
    expect(await queue.heartbeat(job.id, "w", 1_000, clock.now(), 1.7)).toBe(true);
    await clock.advance(800);
    expect(await queue.claim("w2", 1_000, clock.now())).toBeNull();
    expect(await queue.get(job.id)).toMatchObject({ progress: 1, leaseOwner: "w" });
  });
});
