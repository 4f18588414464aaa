// Jobs that cannot render, through one built worker process on SQLite: a deleted file, an asset row
// whose file was never stored, a damaged chain, bytes that are not audio. Each fails at once with a
// message a teacher can read, and the same worker goes on to render the next good job. A storage
// failure is retried with backoff, counting attempts, and fails for good after maxAttempts.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/tmp";
import { WorkerWorld, waitFor } from "../support/workers";

const dir = tempDir("bad-jobs");
let world: WorkerWorld;
let versionId: string;
let goodClip: string;

// Retries after 200 ms, 400 ms, 800 ms…; the worker's own default is 5 s doubling to 5 min.
const RETRY = { RETRY_BASE_MS: "200", RETRY_CAP_MS: "5000" };

beforeAll(async () => {
  world = await WorkerWorld.create("sqlite", dir);
  versionId = await world.addVersion("Streaming", { targetLufs: -14 });
  goodClip = await world.addClip(3, 7);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

/** A message for people: no stack trace, no errno code on its own, no storage path. */
function expectReadable(error: string | null): void {
  expect(error).toBeTruthy();
  expect(error).not.toMatch(/\n\s+at |\bE[A-Z]{3,}\b|sha256\/|node:|RenderJobError/);
  expect(error).not.toContain(dir);
}

describe("bad render jobs in a worker process", () => {
  it("fail at once with readable messages, and the worker renders the next good job", async () => {
    // An uploaded file deleted from storage afterwards.
    const deletedPath = join(dir, "deleted.wav");
    writeFileSync(deletedPath, "soon gone");
    const deleted = await world.addAssetFile(deletedPath);
    const deletedRow = await world.db.asset.findUniqueOrThrow({ where: { id: deleted } });
    await world.blobs.delete(deletedRow.storageKey);
    // An asset row whose key names nothing in storage.
    const nowhere = await world.addAssetRow(`sha256/00/00/${"0".repeat(64)}`, "0".repeat(64), 10);
    // A version whose stored chain is not JSON, and one whose chain breaks a parameter's range.
    const broken = await world.addVersion("Broken save", { chainJson: '{"version":1,"modules":[' });
    const chain = JSON.parse((await world.db.version.findUniqueOrThrow({ where: { id: versionId } })).chainJson);
    const limiter = chain.modules.find((m: { type: string }) => m.type === "limiter");
    limiter.params.ceilingDbtp = 6;
    const outOfRange = await world.addVersion("Too hot", { chainJson: JSON.stringify(chain) });
    // Bytes that are not audio, and a WAV cut off inside its header.
    const noisePath = join(dir, "noise.wav");
    writeFileSync(noisePath, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const noise = await world.addAssetFile(noisePath);
    const truncatedPath = join(dir, "truncated.wav");
    writeFileSync(truncatedPath, Buffer.from("RIFF\x10\x00\x00\x00WAVEfmt ", "latin1"));
    const truncated = await world.addAssetFile(truncatedPath);

    const bad = [
      { id: await world.enqueue(deleted, versionId), message: /missing from storage; upload the file again/ },
      { id: await world.enqueue(nowhere, versionId), message: /missing from storage; upload the file again/ },
      { id: await world.enqueue(goodClip, broken), message: /chain of version "Broken save" is damaged/ },
      { id: await world.enqueue(goodClip, outOfRange), message: /version "Too hot".*limiter.*ceiling/i },
      { id: await world.enqueue(noise, versionId), message: /uploaded audio cannot be mastered: not an audio file/ },
      { id: await world.enqueue(truncated, versionId), message: /uploaded audio cannot be mastered: truncated WAV/ },
    ];
    const good = await world.enqueue(goodClip, versionId, { format: "flac" });

    const worker = world.startWorker("solo", RETRY);
    const rows = await world.settled([...bad.map((b) => b.id), good]);
    const logs = world.logs();
    bad.forEach((b, i) => {
      // Permanent: one attempt, no retries.
      expect(rows[i], logs).toMatchObject({ status: "failed", attempts: 1 });
      expect(rows[i]!.error).toMatch(b.message);
      expectReadable(rows[i]!.error);
    });
    expect(rows.at(-1), logs).toMatchObject({ status: "done", leaseOwner: "solo", attempts: 1 });
    const exported = await world.db.export.findUniqueOrThrow({ where: { jobId: good } });
    expect(Math.abs((await world.measureExport(exported.storageKey)).integratedLufs! - -14)).toBeLessThanOrEqual(0.2);
    expect(await world.db.export.count({ where: { jobId: { in: bad.map((b) => b.id) } } })).toBe(0);
    expect(logs.match(/failed \S+ for good/g)).toHaveLength(bad.length);

    worker.child.kill("SIGTERM");
    expect(await worker.exited, logs).toBe(0);
  }, 120_000);

  it("retries a storage failure with backoff, then fails for good after maxAttempts", async () => {
    // A file where the blob store keeps its temp folder: every export write fails until it is removed.
    const blocker = join(world.storageDir, ".tmp");
    rmSync(blocker, { recursive: true, force: true });
    writeFileSync(blocker, "not a folder");
    const worker = world.startWorker("retrier", RETRY);
    try {
      const doomed = await world.enqueue(goodClip, versionId, { maxAttempts: 3 });
      const [failed] = await world.settled([doomed]);
      expect(failed, world.logs()).toMatchObject({ status: "failed", attempts: 3 });
      expect(failed!.error).toBe("The finished render could not be saved: the storage folder is not usable.");
      expectReadable(failed!.error);
      expect(world.logs().match(new RegExp(`failed ${doomed}, will retry`, "g"))).toHaveLength(2);

      // The same failure, cured while the job waits for its next try: it then succeeds.
      const healed = await world.enqueue(goodClip, versionId, { maxAttempts: 5 });
      const waiting = await waitFor(
        "a second failed attempt, waiting for its retry",
        async () => {
          const row = await world.db.renderJob.findUniqueOrThrow({ where: { id: healed } });
          return row.status === "queued" && row.attempts >= 2 ? row : undefined;
        },
        60_000,
        () => world.logs(),
      );
      // Backoff: 200 ms · 2^(attempts−1) after the failed attempt.
      expect(waiting.runAfter.getTime() - waiting.updatedAt.getTime()).toBe(200 * 2 ** (waiting.attempts - 1));
      expect(waiting.error).toBe("The finished render could not be saved: the storage folder is not usable.");
      rmSync(blocker);
      const [done] = await world.settled([healed]);
      expect(done, world.logs()).toMatchObject({ status: "done", error: null });
      expect(done!.attempts).toBeGreaterThan(waiting.attempts);
      expect(await world.db.export.count({ where: { jobId: healed } })).toBe(1);
    } finally {
      worker.child.kill("SIGTERM");
      rmSync(blocker, { recursive: true, force: true });
    }
    expect(await worker.exited, world.logs()).toBe(0);
  }, 120_000);
});
