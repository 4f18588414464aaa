#!/usr/bin/env node
// `pnpm bench workers`: render-job throughput of the built worker (apps/render-worker/dist/worker.js)
// with 1, 2 and 4 worker processes on PostgreSQL. Each run gets a fresh database (migrated and seeded
// by packages/db/dist/seed.mjs) and its own storage folder, then BENCH_WORKER_JOBS (default 16) jobs
// over 10-second generated clips at −14/−16/−23 LUFS. The clock runs from queueing the jobs (the
// workers are already up and polling) to the last one done. Prints figures; asserts nothing.
// COMASTER_TEST_PG_URL names the server (default postgres://postgres@127.0.0.1:5432/test).
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { musicLike, writeWav24 } from "./lib/wavWriter.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORKER = join(ROOT, "apps/render-worker/dist/worker.js");
const CLI = join(ROOT, "apps/render-worker/dist/cli.js");
const SEED = join(ROOT, "packages/db/dist/seed.mjs");
// pg is a dependency of packages/db, not of the root: load that one.
const pg = createRequire(join(ROOT, "packages/db/package.json"))("pg");
const ADMIN_URL = process.env.COMASTER_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const JOBS = Number(process.env.BENCH_WORKER_JOBS ?? 16);
const WORKER_COUNTS = [1, 2, 4];
const CLIP_SECONDS = 10;
const TARGETS = [-14, -16, -23];
const FORMATS = ["wav24", "flac"];

for (const [file, what] of [
  [WORKER, "the worker"],
  [CLI, "the CLI"],
  [SEED, "the seed script"],
]) {
  if (!existsSync(file)) {
    console.error(`bench workers: ${what} is not built (${file}); run pnpm build`);
    process.exit(2);
  }
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

try {
  await admin("select 1");
} catch (err) {
  console.error(`bench workers: PostgreSQL is not reachable at ${ADMIN_URL} (${err.message})`);
  process.exit(2);
}

// The streaming preset's chain document, once per target (the CLI prints it; the chain package is TypeScript).
const preset = JSON.parse(spawnSync(process.execPath, [CLI, "preset", "streaming"], { encoding: "utf8" }).stdout);
const chainFor = (targetLufs) =>
  JSON.stringify({
    ...preset,
    modules: preset.modules.map((m) => (m.type === "loudness" ? { ...m, params: { ...m.params, targetLufs } } : m)),
  });

const work = mkdtempSync(join(tmpdir(), "comaster-bench-workers-"));
const clips = [1, 2].map((seed) => {
  const path = join(work, `clip-${seed}.wav`);
  writeWav24(path, 44_100, CLIP_SECONDS, musicLike(44_100, seed));
  return path;
});

/** A fresh database and storage folder with the clips, versions and (not yet queued) jobs; see `queue`. */
async function prepare(run) {
  const name = `comaster_bench_${randomBytes(5).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const storage = join(work, `storage-${run}`);
  const seeded = spawnSync(process.execPath, [SEED], {
    env: { ...process.env, DATABASE_URL: url.toString(), COMASTER_STORAGE_DIR: storage },
    encoding: "utf8",
  });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  const [{ projectId, authorId }] = (await db.query(`SELECT "projectId", "authorId" FROM "Version" LIMIT 1`)).rows;
  const newId = () => `bench${randomBytes(10).toString("hex")}`;

  const assets = [];
  for (const clip of clips) {
    // The blob store's layout: sha256/ab/cd/<hex>.
    const sha = createHash("sha256").update(readFileSync(clip)).digest("hex");
    const key = `sha256/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
    mkdirSync(dirname(join(storage, key)), { recursive: true });
    copyFileSync(clip, join(storage, key));
    const id = newId();
    await db.query(
      `INSERT INTO "Asset" ("id", "projectId", "contentHash", "format", "durationSeconds", "sampleRate", "channels", "storageKey", "byteSize")
       VALUES ($1, $2, $3, 'wav', $4, 44100, 2, $5, $6)`,
      [id, projectId, sha, CLIP_SECONDS, key, statSync(clip).size],
    );
    assets.push(id);
  }
  const versions = [];
  for (const t of TARGETS) {
    const id = newId();
    await db.query(
      `INSERT INTO "Version" ("id", "projectId", "chainJson", "label", "authorId") VALUES ($1, $2, $3, $4, $5)`,
      [id, projectId, chainFor(t), `bench ${t} LUFS`, authorId],
    );
    versions.push({ id, targetLufs: t });
  }

  /** Queues every job in one statement (UTC timestamps, as Prisma stores them); resolves when committed. */
  const queue = async () => {
    const rows = [];
    const params = [];
    for (let i = 0; i < JOBS; i++) {
      const v = versions[i % versions.length];
      const assetId = assets[i % assets.length];
      const format = FORMATS[i % FORMATS.length];
      const payload = {
        versionId: v.id,
        assetId,
        format,
        targetLufs: v.targetLufs,
        options: { format, targetLufs: v.targetLufs },
      };
      const p = params.length;
      params.push(newId(), v.id, assetId, format, v.targetLufs, JSON.stringify(payload), i);
      const at = `((now() AT TIME ZONE 'UTC') + $${p + 7} * interval '1 millisecond')`;
      rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, 5, $${p + 6}, ${at}, ${at}, ${at})`);
    }
    await db.query(
      `INSERT INTO "RenderJob" ("id", "versionId", "assetId", "format", "targetLufs", "maxAttempts", "payloadJson", "runAfter", "createdAt", "updatedAt")
       VALUES ${rows.join(", ")}`,
      params,
    );
  };

  const counts = async () =>
    (
      await db.query(
        `SELECT count(*) FILTER (WHERE "status" = 'done')::int AS done, count(*) FILTER (WHERE "status" = 'failed')::int AS failed,
                coalesce(sum("attempts"), 0)::int AS attempts FROM "RenderJob"`,
      )
    ).rows[0];

  const drop = async () => {
    await db.end();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(storage, { recursive: true, force: true });
  };
  return { url: url.toString(), storage, queue, counts, db, drop };
}

function startWorker(env, id) {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, ...env, WORKER_ID: id, POLL_MS: "50" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b) => (out += b));
  child.stderr.on("data", (b) => (out += b));
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return { child, exited, output: () => out };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(workers) {
  const run = await prepare(workers);
  const env = { DATABASE_URL: run.url, COMASTER_STORAGE_DIR: run.storage };
  const procs = Array.from({ length: workers }, (_, i) => startWorker(env, `bench-${workers}-${i + 1}`));
  try {
    // Every worker up and polling before the clock starts.
    const up = Date.now() + 60_000;
    while (!procs.every((p) => p.output().includes("started"))) {
      if (Date.now() > up) throw new Error(`workers did not start:\n${procs.map((p) => p.output()).join("\n")}`);
      await sleep(50);
    }
    const t0 = performance.now();
    await run.queue();
    let c;
    for (;;) {
      c = await run.counts();
      if (c.done + c.failed >= JOBS) break;
      if (performance.now() - t0 > 600_000) throw new Error("the jobs did not finish in 10 minutes");
      await sleep(25);
    }
    const seconds = (performance.now() - t0) / 1000;
    if (c.failed > 0) {
      const { rows } = await run.db.query(`SELECT "error" FROM "RenderJob" WHERE "status" = 'failed' LIMIT 1`);
      throw new Error(`${c.failed} jobs failed, e.g. ${rows[0]?.error}`);
    }
    return { seconds, extraAttempts: c.attempts - JOBS };
  } finally {
    for (const p of procs) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
    await run.drop();
  }
}

try {
  console.log(
    `render workers on PostgreSQL: ${JOBS} jobs per run, ${CLIP_SECONDS}-s clips (44.1 kHz stereo 24-bit), ` +
      `streaming preset at ${TARGETS.join("/")} LUFS, ${FORMATS.join("/")}; ${cpus().length} CPU cores; fresh database per run`,
  );
  let single;
  for (const workers of WORKER_COUNTS) {
    const { seconds, extraAttempts } = await measure(workers);
    const perMinute = (JOBS / seconds) * 60;
    single ??= perMinute;
    console.log(
      `  ${String(workers).padStart(2)} worker${workers === 1 ? " " : "s"}  ${seconds.toFixed(2).padStart(7)} s  ` +
        `${perMinute.toFixed(1).padStart(6)} jobs/min  ${(perMinute / single).toFixed(2)}x one worker` +
        (extraAttempts > 0 ? `  (${extraAttempts} jobs rendered twice: lost leases)` : ""),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
