import { describe, expect, it } from "vitest";
import { CliError } from "../cliError";
import { FakeClock } from "./fakeClock";
import type { JobQueue } from "./jobQueue";
import { MemoryJobQueue } from "./memoryJobQueue";
import type { RenderDeps, RenderJobPayload, RenderJobResult } from "./runRenderJob";
import { fakeDeps, payload } from "./testDeps";
import { RenderWorker, type WorkerEvent } from "./workerLoop";

type Queue = MemoryJobQueue<RenderJobPayload, RenderJobResult>;
const LEASE = 1_000;

function setup(maxAttempts = 3) {
  const clock = new FakeClock();
  const queue: Queue = new MemoryJobQueue({ clock: clock.now, maxAttempts, backoff: { baseMs: 1_000, capMs: 4_000 } });
  const events: (WorkerEvent & { worker: string })[] = [];
  const worker = (
    id: string,
    deps: RenderDeps,
    q: JobQueue<RenderJobPayload, RenderJobResult> = queue,
    graceMs = 500,
    stallMs?: number,
  ) => {
    const w = new RenderWorker(q, deps, {
      workerId: id,
      leaseMs: LEASE,
      heartbeatMs: 300,
      pollMs: 100,
      graceMs,
      stallMs,
      clock: clock.now,
      sleep: clock.sleep,
      onEvent: (e) => events.push({ ...e, worker: id }),
    });
    const running = w.start();
    return { w, running };
  };
  const stop = async (...ws: { w: RenderWorker; running: Promise<void> }[]) => {
    let stopped = false;
    const all = Promise.all(ws.map((x) => x.w.stop())).then(() => {
      stopped = true;
    });
    await clock.runUntil(() => stopped, 100);
    await all;
    await Promise.all(ws.map((x) => x.running));
  };
  const allSettled = async () => (await queue.list()).every((j) => j.status === "done" || j.status === "failed");
  return { clock, queue, events, worker, stop, allSettled };
}

describe("RenderWorker", () => {
  it("three workers on one queue: no job runs twice at once, every job completes exactly once", async () => {
    const { clock, queue, events, worker, stop, allSettled } = setup();
    const fake = fakeDeps(clock, { steps: 5, stepMs: 70 });
    for (let i = 0; i < 20; i++) await queue.enqueue({ payload: payload(`asset-${i}`) });
    const ws = ["w1", "w2", "w3"].map((id) => worker(id, fake.deps));
    await clock.runUntil(allSettled, 50);
    await stop(...ws);

    const jobs = await queue.list();
    expect(jobs.every((j) => j.status === "done" && j.attempts === 1)).toBe(true);
    expect(fake.stats.overlaps).toBe(0);
    expect(fake.exports.size).toBe(20);
    const completed = events.filter((e) => e.type === "completed").map((e) => e.jobId);
    expect(completed.sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(new Set(events.filter((e) => e.type === "completed").map((e) => e.worker)).size).toBe(3);
    expect(jobs[0]?.result).toMatchObject({ export: { id: `export-${jobs[0]?.id}` }, integratedLufs: -14 });
  });

  it("a job whose worker died is finished by another after the lease expires; the dead worker's late complete is refused", async () => {
    const { clock, queue, events, worker, stop } = setup();
    const job = await queue.enqueue({ payload: payload() });
    // "SIGKILL": the dead worker claimed it and will never heartbeat again.
    await queue.claim("dead", LEASE, clock.now());
    const fake = fakeDeps(clock);
    const b = worker("w2", fake.deps);
    await clock.advance(LEASE - 100);
    expect((await queue.get(job.id))?.leaseOwner).toBe("dead");
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(await queue.complete(job.id, "dead", { export: { id: "dup" } } as RenderJobResult)).toBe(false);
    expect(await queue.get(job.id)).toMatchObject({ status: "done", leaseOwner: "w2", attempts: 2 });
    expect(events.filter((e) => e.type === "completed")).toHaveLength(1);
    await stop(b);
  });

  it("a worker cut off from the queue renders on but never completes a job another worker now owns; the export is replaced, not duplicated", async () => {
    const { clock, queue, events, worker, stop } = setup();
    const job = await queue.enqueue({ payload: payload() });
    let partitioned = false;
    // w1's heartbeats fail while partitioned (a frozen process or a network split).
    const flaky: JobQueue<RenderJobPayload, RenderJobResult> = Object.create(queue);
    flaky.heartbeat = async (...args) => {
      if (partitioned) throw new Error("connection reset");
      return queue.heartbeat(...args);
    };
    const slow = fakeDeps(clock, { steps: 10, stepMs: 300 });
    const a = worker("w1", slow.deps, flaky);
    await clock.advance(50);
    expect((await queue.get(job.id))?.leaseOwner).toBe("w1");
    partitioned = true;
    const b = worker("w2", slow.deps);
    await clock.runUntil(() => events.some((e) => e.worker === "w1" && e.jobId === job.id && e.type === "lease-lost"));
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(await queue.get(job.id)).toMatchObject({ status: "done", leaseOwner: "w2" });
    expect(events.filter((e) => e.type === "completed").map((e) => e.worker)).toEqual(["w2"]);
    expect(slow.exports.size).toBe(1);
    await stop(a, b);
  });

  it("abandons the render when a heartbeat finds the lease gone, without completing or failing it", async () => {
    const { clock, queue, events, worker, stop } = setup();
    const job = await queue.enqueue({ payload: payload() });
    const slow = fakeDeps(clock, { steps: 20, stepMs: 100 });
    const a = worker("w1", slow.deps);
    await clock.advance(50);
    // Another worker got the job (as after an expired lease): force it by releasing and re-claiming.
    await queue.release(job.id, "w1");
    await queue.claim("thief", 60_000, clock.now());
    await clock.runUntil(() => events.some((e) => e.type === "lease-lost"));
    await clock.advance(2_500);
    expect(slow.stats.saves).toBe(0);
    expect(await queue.get(job.id)).toMatchObject({ status: "running", leaseOwner: "thief" });
    expect(events.map((e) => e.type)).not.toContain("completed");
    expect(events.map((e) => e.type)).not.toContain("failed");
    await stop(a);
  });

  it("retries with growing backoff and fails after maxAttempts with the error text, then goes on", async () => {
    const { clock, queue, events, worker, stop, allSettled } = setup(3);
    const fake = fakeDeps(clock, {
      error: (job) => (job.id === "job-1" ? new Error("the FLAC decoder hit a corrupt frame") : undefined),
    });
    const bad = await queue.enqueue({ payload: payload() });
    const good = await queue.enqueue({ payload: payload() });
    const retryDelays: number[] = [];
    const spy: JobQueue<RenderJobPayload, RenderJobResult> = Object.create(queue);
    spy.fail = async (id, w, error, now, o) => {
      const ok = await queue.fail(id, w, error, now, o);
      const j = await queue.get(id);
      if (j?.status === "queued") retryDelays.push(j.runAfter.getTime() - now.getTime());
      return ok;
    };
    const w = worker("w1", fake.deps, spy);
    await clock.runUntil(allSettled);
    expect(retryDelays).toEqual([1_000, 2_000]);
    expect(await queue.get(bad.id)).toMatchObject({
      status: "failed",
      attempts: 3,
      error: "the render failed: the FLAC decoder hit a corrupt frame",
    });
    expect(await queue.get(good.id)).toMatchObject({ status: "done" });
    expect(events.filter((e) => e.type === "failed").map((e) => (e.type === "failed" ? e.final : null))).toEqual([
      false,
      false,
      true,
    ]);
    await stop(w);
  });

  it("fails a bad job (invalid chain) at once with a readable message", async () => {
    const { clock, queue, worker, stop, allSettled } = setup(5);
    const fake = fakeDeps(clock, {
      error: () => new CliError("BAD_INPUT", "chain.json: modules[2] (limiter): ceilingDbtp must be ≤ 0"),
    });
    const job = await queue.enqueue({ payload: payload() });
    const w = worker("w1", fake.deps);
    await clock.runUntil(allSettled);
    expect(await queue.get(job.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      error: "the render failed: chain.json: modules[2] (limiter): ceilingDbtp must be ≤ 0",
    });
    await stop(w);
  });

  it("stop() lets the current job finish within the grace period and claims nothing more", async () => {
    const { clock, queue, worker } = setup();
    const fake = fakeDeps(clock, { steps: 4, stepMs: 100 });
    const first = await queue.enqueue({ payload: payload() });
    const second = await queue.enqueue({ payload: payload() });
    const a = worker("w1", fake.deps, queue, 1_000);
    await clock.advance(150);
    let stopped = false;
    const stopping = a.w.stop().then(() => {
      stopped = true;
    });
    await clock.runUntil(() => stopped);
    await stopping;
    await a.running;
    expect(await queue.get(first.id)).toMatchObject({ status: "done", attempts: 1 });
    expect(await queue.get(second.id)).toMatchObject({ status: "queued", attempts: 0 });
  });

  it("stop() hands back a job that outlasts the grace period, without counting the attempt", async () => {
    const { clock, queue, events, worker, stop } = setup();
    const slow = fakeDeps(clock, { steps: 100, stepMs: 100 });
    const job = await queue.enqueue({ payload: payload() });
    const a = worker("w1", slow.deps, queue, 500);
    await clock.advance(150);
    await stop(a);
    expect(await queue.get(job.id)).toMatchObject({ status: "queued", attempts: 0, leaseOwner: null });
    expect(events.map((e) => e.type)).toEqual(["claimed", "released"]);
    await clock.advance(1_000);
    expect(slow.stats.saves).toBe(0); // the abandoned render stopped at its next progress step

    const fast = fakeDeps(clock);
    const b = worker("w2", fast.deps);
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(await queue.get(job.id)).toMatchObject({ attempts: 1, leaseOwner: "w2" });
    await stop(b);
  });

  it("reports progress through heartbeats", async () => {
    const { clock, queue, worker, stop } = setup();
    const seen: number[] = [];
    const spy: JobQueue<RenderJobPayload, RenderJobResult> = Object.create(queue);
    spy.heartbeat = async (id, w, ms, now, progress) => {
      seen.push(progress);
      return queue.heartbeat(id, w, ms, now, progress);
    };
    const fake = fakeDeps(clock, { steps: 10, stepMs: 200 });
    const job = await queue.enqueue({ payload: payload() });
    const a = worker("w1", fake.deps, spy);
    await clock.advance(1_300);
    const mid = (await queue.get(job.id))!.progress;
    expect(mid).toBeGreaterThan(0);
    expect(mid).toBeLessThan(1);
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect((await queue.get(job.id))?.progress).toBe(1);
    await stop(a);
  });
  it("never reports progress going back, even when the master plans another pass", async () => {
    const { clock, queue, worker, stop } = setup();
    const seen: number[] = [];
    const spy: JobQueue<RenderJobPayload, RenderJobResult> = Object.create(queue);
    spy.heartbeat = async (id, w, ms, now, progress) => {
      seen.push(progress);
      return queue.heartbeat(id, w, ms, now, progress);
    };
    // What master() reports when a third pass is planned after two: 0.99 drops back to 0.73.
    const fake = fakeDeps(clock, { fractions: [0.2, 0.6, 0.99, 0.73, 0.8, 0.9, 1], stepMs: 400 });
    const job = await queue.enqueue({ payload: payload() });
    const a = worker("w1", fake.deps, spy);
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(seen).toContain(0.99);
    expect(seen).not.toContain(0.73);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    await stop(a);
  });

  it("gives up a render that stops making progress (its heartbeats would hold the lease for ever): failed, retried, done; the hung attempt stops if it wakes", async () => {
    const { clock, queue, events, worker, stop } = setup();
    const fake = fakeDeps(clock, { steps: 4, stepMs: 100 });
    const { closed: woken, open: wake } = gate();
    let late: unknown = "not called";
    let calls = 0;
    const deps: RenderDeps = {
      ...fake.deps,
      master: async (job, input, output, onProgress) => {
        if (++calls === 1) {
          onProgress(0.1);
          await woken; // a hang: no error, no progress, heartbeats go on
          try {
            onProgress(0.2);
            late = null;
          } catch (err) {
            late = err;
            throw err;
          }
        }
        return fake.deps.master(job, input, output, onProgress);
      },
    };
    const job = await queue.enqueue({ payload: payload() });
    const w = worker("w1", deps, queue, 500, 2_000);
    await clock.runUntil(() => events.some((e) => e.type === "failed"));
    expect(events.find((e) => e.type === "failed")).toMatchObject({
      jobId: job.id,
      final: false,
      error: "The render made no progress for 2 s and was stopped.",
    });
    // Given up within a heartbeat of the limit, not at once and not never.
    expect(clock.now().getTime() - Date.UTC(2025, 0, 1)).toBeGreaterThanOrEqual(2_000);
    expect(clock.now().getTime() - Date.UTC(2025, 0, 1)).toBeLessThanOrEqual(2_000 + 300 + 50);
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(await queue.get(job.id)).toMatchObject({ status: "done", attempts: 2 });
    wake();
    await clock.advance(1_000);
    expect(late).toMatchObject({ code: "STALLED" });
    expect(fake.exports.get(job.id)?.saves).toBe(1);
    await stop(w);
  });

  it("a render that hangs after its last progress report and wakes after the retry stores nothing", async () => {
    const { clock, queue, events, worker, stop } = setup();
    const fake = fakeDeps(clock, { steps: 2, stepMs: 100 });
    const { closed: woken, open: wake } = gate();
    let calls = 0;
    const deps: RenderDeps = {
      ...fake.deps,
      master: async (job, input, output, onProgress) => {
        const result = await fake.deps.master(job, input, output, onProgress);
        if (++calls === 1) await woken; // done rendering, then stuck before returning
        return result;
      },
    };
    const job = await queue.enqueue({ payload: payload() });
    const w = worker("w1", deps, queue, 500, 2_000);
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(events.filter((e) => e.type === "failed")).toHaveLength(1);
    wake();
    await clock.advance(1_000);
    expect(fake.stats.saves).toBe(1); // the retry's; the woken attempt stopped before storing
    await stop(w);
  });

  it("a slow render that keeps reporting progress is not taken for a stalled one", async () => {
    const { clock, queue, events, worker, stop } = setup();
    // 12 s in all, a progress report every 1.5 s, a 2 s limit.
    const fake = fakeDeps(clock, { steps: 8, stepMs: 1_500 });
    const job = await queue.enqueue({ payload: payload() });
    const w = worker("w1", fake.deps, queue, 500, 2_000);
    await clock.runUntil(async () => (await queue.get(job.id))?.status === "done");
    expect(await queue.get(job.id)).toMatchObject({ status: "done", attempts: 1 });
    expect(events.map((e) => e.type)).not.toContain("failed");
    await stop(w);
  });

  it("refuses a stall limit that a heartbeat could not check", () => {
    const { queue } = setup();
    const options = { workerId: "w", leaseMs: LEASE, heartbeatMs: 300, pollMs: 100 };
    expect(() => new RenderWorker(queue, fakeDeps(new FakeClock()).deps, { ...options, stallMs: 300 })).toThrow(
      /stallMs \(300\) must be > heartbeatMs \(300\)/,
    );
  });
});

/** A promise that stays pending until `open` is called: a hang that can end. */
function gate(): { closed: Promise<void>; open: () => void } {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}
