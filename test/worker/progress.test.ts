// A worker process reports how far a render has got (RenderJob.progress, 0–1) through its heartbeats:
// on a longer clip the stored value climbs through several steps, never goes back, and is 1 when done.
import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDir } from "../support/tmp";
import { WorkerWorld } from "../support/workers";

const dir = tempDir("progress");
let world: WorkerWorld;

beforeAll(async () => {
  world = await WorkerWorld.create("sqlite", dir);
}, 60_000);

afterAll(async () => {
  await world?.close();
});

it("a worker process reports rising progress while it renders a longer clip", async () => {
  const versionId = await world.addVersion("Apple", { targetLufs: -16 });
  const assetId = await world.addClip(90, 11);
  const jobId = await world.enqueue(assetId, versionId, { format: "flac", targetLufs: -16 });
  const worker = world.startWorker("reporter", { LEASE_MS: "3000", HEARTBEAT_MS: "100" });

  // Every value the row holds while the job is queued or running, read as fast as the database allows.
  const seen: number[] = [];
  const end = Date.now() + 120_000;
  let row = await world.db.renderJob.findUniqueOrThrow({ where: { id: jobId } });
  while (row.status === "queued" || row.status === "running") {
    if (Date.now() > end) throw new Error(`the render did not finish\n${world.logs()}`);
    if (row.status === "running" && seen.at(-1) !== row.progress) seen.push(row.progress);
    await new Promise((r) => setTimeout(r, 20));
    row = await world.db.renderJob.findUniqueOrThrow({ where: { id: jobId } });
  }

  expect(row, world.logs()).toMatchObject({ status: "done", progress: 1 });
  const between = seen.filter((p) => p > 0 && p < 1);
  expect(between.length, `progress seen: ${seen.join(", ")}`).toBeGreaterThanOrEqual(3);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  worker.child.kill("SIGTERM");
  expect(await worker.exited).toBe(0);
}, 180_000);
