// Three built worker processes share twenty queued jobs; one is SIGKILLed in the middle of a render.
// Every job must end `done` exactly once with one decodable export at its version's loudness target,
// on SQLite and on PostgreSQL (which follows the services rule: skipped loudly, or failed under CI).
import type { DbProvider } from "@comaster/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needPostgres } from "../support/services";
import { tempDir } from "../support/tmp";
import { WorkerWorld, waitFor } from "../support/workers";

// A short lease, so the killed worker's job is taken over about two seconds after the kill.
const LEASE = { LEASE_MS: "2000", HEARTBEAT_MS: "300" };
const TARGETS = [-14, -16, -23] as const;
const FORMATS = ["wav24", "flac", "wav16"] as const;
const JOBS = 20;

const pgUp = await needPostgres("render worker crash test on PostgreSQL");
const providers: { provider: DbProvider; run: boolean }[] = [
  { provider: "sqlite", run: true },
  { provider: "postgresql", run: pgUp },
];

describe.each(providers)("three worker processes on $provider, one killed mid-render", ({ provider, run }) => {
  const dir = tempDir(`crash-${provider}`);
  let world: WorkerWorld;
  const jobs: { id: string; targetLufs: number; format: string; seconds: number }[] = [];

  beforeAll(async () => {
    if (!run) return;
    world = await WorkerWorld.create(provider, dir);
    const versions = [];
    for (const t of TARGETS) versions.push({ id: await world.addVersion(`target ${t}`, { targetLufs: t }), t });
    // The first job is a long clip, so its worker is surely mid-render when it dies; the rest are short.
    const long = await world.addClip(150, 1);
    const short = [await world.addClip(3, 2), await world.addClip(4, 3)];
    for (let i = 0; i < JOBS; i++) {
      const v = versions[i % versions.length]!;
      const format = FORMATS[i % FORMATS.length]!;
      const assetId = i === 0 ? long : short[i % short.length]!;
      const id = await world.enqueue(assetId, v.id, { format, targetLufs: v.t });
      jobs.push({ id, targetLufs: v.t, format, seconds: i === 0 ? 150 : i % short.length === 0 ? 3 : 4 });
    }
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  it.runIf(run)(
    "every job ends done exactly once, with one export at its version's target",
    async () => {
      const [first] = jobs;
      const doomed = world.startWorker("doomed", LEASE);
      // Alone, the doomed worker claims the oldest job; a heartbeat with progress > 0 shows it rendering.
      await waitFor(
        "the doomed worker to be rendering the first job",
        async () => {
          const row = await world.db.renderJob.findUniqueOrThrow({ where: { id: first!.id } });
          return row.status === "running" && row.leaseOwner === "doomed" && row.progress > 0 ? row : undefined;
        },
        60_000,
        () => world.logs(),
      );
      // All three render side by side; then the doomed one dies with its long job unfinished.
      const others = [world.startWorker("w2", LEASE), world.startWorker("w3", LEASE)];
      await waitFor(
        "the other two workers to claim jobs",
        async () => (others.every((w) => w.output().includes("claimed")) ? true : undefined),
        60_000,
        () => world.logs(),
      );
      doomed.child.kill("SIGKILL");
      expect(await doomed.exited).toBeNull(); // killed by the signal, no exit code
      const orphan = await world.db.renderJob.findUniqueOrThrow({ where: { id: first!.id } });
      expect(orphan, "the kill must land mid-render").toMatchObject({ status: "running", leaseOwner: "doomed" });

      const rows = await world.settled(jobs.map((j) => j.id));
      const logs = world.logs();
      expect(
        rows.map((r) => r.status),
        logs,
      ).toEqual(jobs.map(() => "done"));
      // The orphan was taken over once its lease expired: a second attempt, by a survivor.
      expect(rows[0]!.attempts).toBe(2);
      expect(["w2", "w3"]).toContain(rows[0]!.leaseOwner);
      expect(rows.every((r) => r.leaseOwner !== "doomed")).toBe(true);

      // Exactly once: each job was completed by one worker, once. A worker logs "completed" just after
      // the row turns done, so give the last line a moment to arrive through the pipe.
      const completedLines = () => [...world.logs().matchAll(/completed (\S+)/g)].map((m) => m[1]);
      await waitFor(
        "every completion to be logged",
        async () => (completedLines().length >= JOBS ? true : undefined),
        10_000,
        () => world.logs(),
      ).catch(() => {}); // the assertion below says what is missing
      await new Promise((resolve) => setTimeout(resolve, 200)); // a duplicate line would arrive too
      const completions = completedLines();
      expect([...completions].sort()).toEqual(jobs.map((j) => j.id).sort());

      // One export row per job, and every file decodes and measures at its version's target.
      const exports = await world.db.export.findMany({ where: { jobId: { in: jobs.map((j) => j.id) } } });
      expect(exports).toHaveLength(JOBS);
      expect(new Set(exports.map((e) => e.jobId)).size).toBe(JOBS);
      for (const job of jobs) {
        const row = exports.find((e) => e.jobId === job.id)!;
        expect(row.format).toBe(job.format);
        const measured = await world.measureExport(row.storageKey);
        expect(measured.seconds).toBeCloseTo(job.seconds, 1);
        expect(measured.codec).toBe(
          job.format === "flac" ? "flac" : job.format === "wav16" ? "pcm_s16le" : "pcm_s24le",
        );
        expect(Math.abs(measured.integratedLufs! - job.targetLufs), `${job.id} ${job.format}`).toBeLessThanOrEqual(0.2);
        expect(Math.abs(row.integratedLufs - job.targetLufs)).toBeLessThanOrEqual(0.2);
      }

      for (const w of others) w.child.kill("SIGTERM");
      expect(await Promise.all(others.map((w) => w.exited)), world.logs()).toEqual([0, 0]);
    },
    180_000,
  );
});
