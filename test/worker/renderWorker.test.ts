// The built render worker (apps/render-worker/dist/worker.js) as separate processes on one SQLite
// database: two workers, one job, one export; SIGTERM stops them cleanly; a killed worker's job is
// finished by another once its lease expires.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createDb, type Db, LocalBlobStore, PrismaJobQueue } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { comaster, REPO } from "../support/cli";
import { tempDir } from "../support/tmp";
import { type RunningWorker, spawnWorker, waitFor } from "../support/workers";

const SEED = join(REPO, "packages/db/dist/seed.mjs");

const dir = tempDir("worker");
const env = {
  DATABASE_URL: `file:${join(dir, "comaster.db")}`,
  COMASTER_STORAGE_DIR: join(dir, "storage"),
  POLL_MS: "100",
};
let db: Db;
let ids: { versionId: string; assetId: string };

beforeAll(async () => {
  const seeded = spawnSync(process.execPath, [SEED], { env: { ...process.env, ...env }, encoding: "utf8" });
  expect(seeded.status, seeded.stderr).toBe(0);
  db = await createDb(env.DATABASE_URL);
  ids = { versionId: (await db.version.findFirstOrThrow()).id, assetId: (await db.asset.findFirstOrThrow()).id };
}, 60_000);
afterAll(async () => {
  await db?.$disconnect();
});

const startWorker = (id: string, extra: Record<string, string> = {}): RunningWorker =>
  spawnWorker(id, { ...env, ...extra });

async function enqueue(): Promise<string> {
  const queue = new PrismaJobQueue(db, { provider: "sqlite" });
  const payload = { ...ids, format: "wav24", targetLufs: -14, options: { format: "wav24", targetLufs: -14 } };
  return (await queue.enqueue({ payload })).id;
}

async function expectOneGoodExport(jobId: string): Promise<void> {
  const exports = await db.export.findMany({ where: { jobId } });
  expect(exports).toHaveLength(1);
  const file = new LocalBlobStore(env.COMASTER_STORAGE_DIR).localPath(exports[0]!.storageKey);
  expect(existsSync(file)).toBe(true);
  expect(exports[0]).toMatchObject({ format: "wav24" });
  expect(exports[0]!.integratedLufs).toBeCloseTo(-14, 0);
  const analyzed = comaster(["analyze", "--json", file]);
  expect(analyzed.status, analyzed.stderr).toBe(0);
  expect(Math.abs(JSON.parse(analyzed.stdout).integratedLufs - -14)).toBeLessThanOrEqual(0.2);
}

describe("render worker processes", () => {
  it("two workers render a job once, then stop on SIGTERM with code 0", async () => {
    const jobId = await enqueue();
    const workers = [startWorker("w1"), startWorker("w2")];
    try {
      const job = await waitFor("the job to finish", async () => {
        const row = await db.renderJob.findUniqueOrThrow({ where: { id: jobId } });
        return row.status === "done" || row.status === "failed" ? row : undefined;
      });
      expect(job.status, workers.map((w) => w.output()).join("\n")).toBe("done");
      expect(job.attempts).toBe(1);
      await expectOneGoodExport(jobId);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
    }
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes, workers.map((w) => w.output()).join("\n")).toEqual([0, 0]);
  }, 120_000);

  it("a job whose worker is killed mid-render is finished by another after the lease", async () => {
    const lease = { LEASE_MS: "1500", HEARTBEAT_MS: "300" };
    const jobId = await enqueue();
    const first = startWorker("doomed", lease);
    let second: RunningWorker | undefined;
    try {
      await waitFor("the first worker to claim the job", async () => {
        const row = await db.renderJob.findUniqueOrThrow({ where: { id: jobId } });
        return row.status === "running" && row.leaseOwner === "doomed" ? row : undefined;
      });
      // The second worker starts once the first owns the job; then the owner dies mid-render.
      second = startWorker("rescuer", lease);
      first.child.kill("SIGKILL");
      await first.exited;
      const job = await waitFor("the job to finish", async () => {
        const row = await db.renderJob.findUniqueOrThrow({ where: { id: jobId } });
        return row.status === "done" || row.status === "failed" ? row : undefined;
      });
      expect(job, second.output()).toMatchObject({ status: "done", leaseOwner: "rescuer", attempts: 2 });
      await expectOneGoodExport(jobId);
    } finally {
      first.child.kill("SIGKILL");
      second?.child.kill("SIGTERM");
    }
    expect(await second?.exited, second?.output()).toBe(0);
  }, 120_000);
});
