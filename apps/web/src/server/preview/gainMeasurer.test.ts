import { type Chain, presetChain, soundSignature } from "@comaster/chain";
import { findLoudnessGain } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectFixture } from "../testing/projectFixture";
import { openTestServices, type TestServices } from "../testing/testServices";
import { chainKey, GainMeasurer, GainQueueFull } from "./gainMeasurer";
import type { GainMeasurement } from "./measureGainWithCli";

let s: TestServices;
let assetId: string;

beforeAll(async () => {
  s = await openTestServices("sqlite");
  ({ assetId } = await projectFixture(s, "gm-"));
}, 120_000);
afterAll(() => s?.close());

/** A stand-in for the CLI: each call waits until the test settles it. */
function controlledMeasure() {
  const calls: { chain: Chain; signal?: AbortSignal; settle(m: GainMeasurement | Error): void }[] = [];
  const measure = (_path: string, chain: Chain, signal?: AbortSignal) =>
    new Promise<GainMeasurement>((resolve, reject) => {
      calls.push({ chain, signal, settle: (m) => (m instanceof Error ? reject(m) : resolve(m)) });
    });
  return { calls, measure };
}

const figures = (gain: number): GainMeasurement => ({
  loudnessGainDb: gain,
  targetLufs: -14,
  integratedLufs: -14.01,
  passes: 2,
  warnings: [],
});
const chainWith = (targetLufs: number) => presetChain("streaming", { targetLufs });
const request = (chain: Chain, lane = "p:a:live") => ({ lane, assetId, path: "/nowhere.wav", chain });
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Waits until `check` holds, for up to 10 s (a loaded CI machine); the assertions after it say what failed. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 10_000;
  while (!(await check()) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

describe("GainMeasurer", () => {
  it("measures once, stores the figures, then answers from the database", async () => {
    const { calls, measure } = controlledMeasure();
    const m = new GainMeasurer({ db: s.db, measure });
    const chain = chainWith(-15);
    expect(await m.status(request(chain))).toEqual({ status: "measuring", sound: soundSignature(chain) });
    expect(await m.status(request(chain))).toMatchObject({ status: "measuring" }); // joins the one under way
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.settle(figures(3.5));
    await until(async () => (await m.status(request(chain))).status === "ready");
    const ready = await m.status(request(chain));
    expect(ready).toMatchObject({ status: "ready", gain: { gainDb: 3.5, targetLufs: -14, integratedLufs: -14.01 } });
    // Another process (a fresh measurer on the same database) finds it stored and measures nothing.
    const other = controlledMeasure();
    expect(await new GainMeasurer({ db: s.db, measure: other.measure }).status(request(chain))).toMatchObject({
      status: "ready",
    });
    expect(other.calls).toHaveLength(0);
    expect(calls).toHaveLength(1);
  });

  it("a newer request of the same lane replaces one still waiting; other lanes keep their place", async () => {
    const { calls, measure } = controlledMeasure();
    const m = new GainMeasurer({ db: s.db, measure });
    await m.status(request(chainWith(-20))); // runs
    await m.status(request(chainWith(-21))); // waits…
    await m.status(request(chainWith(-22), "p:a:v1")); // another lane waits
    await m.status(request(chainWith(-23))); // …replaced by this
    expect(m.pending).toEqual({ queued: 2, running: 1 });
    for (let i = 0; i < 3; i++) {
      await until(async () => calls.length > i);
      calls[i]!.settle(figures(i));
    }
    await until(async () => m.pending.running === 0);
    const targets = calls.map((c) => c.chain.modules.find((x) => x.type === "loudness")!.params);
    expect(targets.map((p) => (p as { targetLufs: number }).targetLufs)).toEqual([-20, -22, -23]);
    expect(await findLoudnessGain(s.db, assetId, chainKey(soundSignature(chainWith(-21))))).toBeNull();
  });

  it("reports a failure with its message, and tries again once it is old", async () => {
    const { calls, measure } = controlledMeasure();
    let now = 0;
    const m = new GainMeasurer({ db: s.db, measure, now: () => now, failureTtlMs: 1000 });
    const chain = chainWith(-30);
    await m.status(request(chain));
    await tick();
    calls[0]!.settle(new Error("The loudness could not be measured: the file is gone."));
    await until(async () => m.pending.running === 0);
    expect(await m.status(request(chain))).toMatchObject({
      status: "failed",
      message: "The loudness could not be measured: the file is gone.",
    });
    now = 1001;
    expect(await m.status(request(chain))).toMatchObject({ status: "measuring" });
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.settle(figures(1));
  });

  it("remembers at most maxFailures failures, forgetting the oldest", async () => {
    const { calls, measure } = controlledMeasure();
    const m = new GainMeasurer({ db: s.db, measure, maxFailures: 2 });
    const chains = [-28, -27, -26].map((t) => presetChain("streaming", { targetLufs: t }));
    for (const [i, chain] of chains.entries()) {
      await m.status(request(chain, `f${i}`));
      await until(async () => calls.length > i);
      calls[i]!.settle(new Error(`failure ${i}`));
      await until(async () => m.pending.running === 0);
    }
    expect(await m.status(request(chains[2]!, "f2"))).toMatchObject({ status: "failed", message: "failure 2" });
    expect(await m.status(request(chains[1]!, "f1"))).toMatchObject({ status: "failed", message: "failure 1" });
    // The oldest was forgotten: asked again, it is measured again.
    expect(await m.status(request(chains[0]!, "f0"))).toMatchObject({ status: "measuring" });
    m.close();
  });

  it("refuses more than maxQueued waiting requests and takes them again once there is room", async () => {
    const { calls, measure } = controlledMeasure();
    const m = new GainMeasurer({ db: s.db, measure, maxQueued: 2 });
    await m.status(request(chainWith(-10), "l0"));
    await m.status(request(chainWith(-11), "l1"));
    await m.status(request(chainWith(-12), "l2"));
    await expect(m.status(request(chainWith(-13), "l3"))).rejects.toBeInstanceOf(GainQueueFull);
    await tick();
    calls[0]!.settle(figures(0));
    await until(async () => m.pending.queued === 1);
    expect(await m.status(request(chainWith(-13), "l3"))).toMatchObject({ status: "measuring" });
    m.close();
  });

  it("close kills what runs and stores nothing", async () => {
    const { calls, measure } = controlledMeasure();
    const m = new GainMeasurer({ db: s.db, measure });
    const chain = chainWith(-9);
    await m.status(request(chain));
    await tick();
    m.close();
    expect(calls[0]!.signal?.aborted).toBe(true);
    calls[0]!.settle(figures(2));
    await tick();
    expect(await findLoudnessGain(s.db, assetId, chainKey(soundSignature(chain)))).toBeNull();
  });

  it("several processes on one database measure a chain once between them, even when asked at the same instant", async () => {
    const one = controlledMeasure();
    const two = controlledMeasure();
    const a = new GainMeasurer({ db: s.db, measure: one.measure, owner: "web-1" });
    const b = new GainMeasurer({ db: s.db, measure: two.measure, owner: "web-2" });
    // Asked one after the other: the second process sees the first one's claim and leaves it to it.
    const chain = chainWith(-16);
    await a.status(request(chain));
    await until(async () => one.calls.length === 1);
    expect(await b.status(request(chain))).toMatchObject({ status: "measuring" });
    expect(b.pending).toEqual({ queued: 0, running: 0 });
    one.calls[0]!.settle(figures(2.5));
    await until(async () => (await b.status(request(chain))).status === "ready");
    expect(await b.status(request(chain))).toMatchObject({ status: "ready", gain: { gainDb: 2.5 } });
    // Asked at once (both queue it): the claim lets one of them measure.
    const same = chainWith(-17);
    await Promise.all([a.status(request(same)), b.status(request(same))]);
    await until(async () => a.pending.queued + b.pending.queued === 0 && one.calls.length + two.calls.length === 2);
    await tick();
    expect(one.calls.length + two.calls.length).toBe(2); // the first chain's, and one for this one
    expect(a.pending.running + b.pending.running).toBe(1);
    [...one.calls, ...two.calls].at(-1)!.settle(figures(1.5));
    await until(async () => (await a.status(request(same))).status === "ready");
    const keys = [chain, same].map((c) => chainKey(soundSignature(c)));
    expect(await s.db.loudnessGainClaim.count({ where: { chainKey: { in: keys } } })).toBe(0);
  });

  it("a claim left by a process that died is taken over once it expires", async () => {
    const { calls, measure } = controlledMeasure();
    let now = Date.UTC(2026, 0, 1);
    const m = new GainMeasurer({ db: s.db, measure, owner: "web-2", now: () => now, claimLeaseMs: 60_000 });
    const chain = chainWith(-18);
    const key = chainKey(soundSignature(chain));
    await s.db.loudnessGainClaim.create({
      data: { assetId, chainKey: key, owner: "web-dead", expiresAt: new Date(now + 60_000) },
    });
    expect(await m.status(request(chain))).toMatchObject({ status: "measuring" });
    await tick();
    expect(calls).toHaveLength(0);
    now += 60_001;
    expect(await m.status(request(chain))).toMatchObject({ status: "measuring" });
    await until(async () => calls.length === 1);
    expect(await s.db.loudnessGainClaim.findFirst({ where: { chainKey: key } })).toMatchObject({ owner: "web-2" });
    calls[0]!.settle(figures(0.5));
    await until(async () => (await m.status(request(chain))).status === "ready");
    expect(await s.db.loudnessGainClaim.count({ where: { chainKey: key } })).toBe(0);
  });
});
