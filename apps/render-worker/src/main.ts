// The render worker process: env, dependencies, the poll loop, signals. Run with `pnpm start`
// (dist/worker.js); several can share one database, each claiming jobs under its own lease.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, LocalBlobStore, PrismaJobQueue, providerFromUrl } from "@comaster/db";
import { EnvError, readEnv, type WorkerEnv } from "./env";
import { dbRenderDeps, type StoredRenderPayload } from "./jobs/dbRenderDeps";
import { backoffMs, leaseExpiredMessage } from "./jobs/jobQueue";
import type { RenderJobResult } from "./jobs/runRenderJob";
import { RenderWorker, type WorkerEvent } from "./jobs/workerLoop";

// src/main.ts and dist/worker.js both sit two folders below apps/render-worker, three below the repo.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

let env: WorkerEnv;
try {
  env = readEnv(process.env, repoRoot);
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  process.stderr.write(`render worker: ${err.message}\n`);
  process.exit(2);
}

const log = (line: string) => process.stdout.write(`[${env.workerId}] ${line}\n`);

const db = await createDb(env.databaseUrl);
const queue = new PrismaJobQueue<StoredRenderPayload, RenderJobResult>(db, {
  provider: providerFromUrl(env.databaseUrl),
  backoffMs: (attempts) => backoffMs(attempts, env.retryBackoff),
  leaseExpiredMessage,
});
await mkdir(env.storageDir, { recursive: true });
const tmpDir = await mkdtemp(path.join(tmpdir(), "comaster-worker-"));
const worker = new RenderWorker(queue, dbRenderDeps({ db, blobs: new LocalBlobStore(env.storageDir), tmpDir }), {
  workerId: env.workerId,
  leaseMs: env.leaseMs,
  heartbeatMs: env.heartbeatMs,
  pollMs: env.pollMs,
  stallMs: env.stallMs,
  onEvent: (e) => log(describeEvent(e)),
});

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void shutdown();
  });
}

async function shutdown(): Promise<void> {
  let code = 0;
  try {
    await worker.stop();
  } catch (err) {
    log(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
  await db.$disconnect().catch(() => {});
  await rm(tmpDir, { recursive: true, force: true }).catch(() => {});
  log("stopped");
  process.exit(code);
}

log(`started: ${providerFromUrl(env.databaseUrl)} database, storage ${env.storageDir}, lease ${env.leaseMs} ms`);
await worker.start();

function describeEvent(e: WorkerEvent): string {
  switch (e.type) {
    case "claimed":
      return `claimed ${e.jobId} (attempt ${e.attempt})`;
    case "completed":
      return `completed ${e.jobId}`;
    case "failed":
      return `failed ${e.jobId}${e.final ? " for good" : ", will retry"}: ${e.error}`;
    case "released":
      return `handed back ${e.jobId}`;
    case "lease-lost":
      return `lost the lease on ${e.jobId}`;
    case "queue-error":
      return `queue error${e.jobId ? ` on ${e.jobId}` : ""}: ${e.error}`;
  }
}
