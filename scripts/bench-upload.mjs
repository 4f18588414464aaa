#!/usr/bin/env node
// `node scripts/bench-upload.mjs`: upload and analyse a generated 500 MB WAV through the upload
// handler (apps/web/src/server/uploads) served over HTTP by a child process, and print the wall time,
// the throughput and the peak memory of the server and of the analysis process. The server's memory
// must stay flat: far below the file size. Needs the built CLI (pnpm --filter @comaster/render-worker
// build). BENCH_UPLOAD_MB sets the file size (default 500). Prints figures; asserts nothing.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { request } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { musicLike, writeWav24 } from "./lib/wavWriter.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
// esbuild is a dev dependency of the packages, not of the root: load the one packages/db builds with.
const esbuild = createRequire(join(ROOT, "packages/db/package.json")).resolve("esbuild");
const { build } = await import(pathToFileURL(esbuild).href);
const CLI = join(ROOT, "apps/render-worker/dist/cli.js");
const MB = Number(process.env.BENCH_UPLOAD_MB ?? 500);
const SAMPLE_RATE = 48_000;
const BYTES_PER_SECOND = SAMPLE_RATE * 2 * 3; // stereo 24-bit

if (!existsSync(CLI)) {
  console.error("bench-upload: build the CLI first (pnpm --filter @comaster/render-worker build)");
  process.exit(2);
}

// The server: plain node:http in front of handleUpload, as the Next.js route will put it. It reports
// its own peak RSS (getrusage) and the analysis process's, and when each phase of a request ended.
const SERVER = `
import http from "node:http";
import { Readable } from "node:stream";
import { createClass, createDb, createProject, createUser, LocalBlobStore } from "@comaster/db";
import { createCliAnalyzer, handleUpload } from "./src/server/uploads/index.ts";

const env = process.env;
const db = await createDb(env.DATABASE_URL);
const user = await createUser(db, { username: "bench", displayName: "Bench", passwordHash: "x" });
const cls = await createClass(db, "Bench", user.id);
const project = await createProject(db, cls.id, "Bench");
const store = new LocalBlobStore(env.BLOB_ROOT);
const phases = {};
let analysisMaxRssKb = 0;
const cliAnalyze = createCliAnalyzer({ onMaxRss: (kb) => (analysisMaxRssKb = Math.max(analysisMaxRssKb, kb)) });
const analyze = async (path) => {
  phases.received = performance.now();
  try {
    return await cliAnalyze(path);
  } finally {
    phases.analysed = performance.now();
  }
};
const rssSamples = [];
setInterval(() => rssSamples.push(process.memoryUsage().rss), 100).unref();

const server = http.createServer(async (req, res) => {
  if (req.method === "GET") {
    res.end(JSON.stringify({
      maxRssKb: process.resourceUsage().maxRSS,
      rssNowKb: Math.round(process.memoryUsage().rss / 1024),
      rssMaxSampledKb: Math.round(Math.max(...rssSamples) / 1024),
      analysisMaxRssKb,
      phases,
    }));
    return;
  }
  phases.start = performance.now();
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const request = new Request("http://localhost" + req.url, {
    method: req.method, headers, body: Readable.toWeb(req), duplex: "half",
  });
  const response = await handleUpload(request, {
    db, store, projectId: project.id, userId: user.id, tmpDir: env.UPLOAD_TMP, analyze,
    onInternalError: (e) => console.error(e),
  });
  phases.done = performance.now();
  res.writeHead(response.status, { "content-type": "application/json" });
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.listen(0, "127.0.0.1", () => process.stdout.write(JSON.stringify({ port: server.address().port }) + "\\n"));
`;

const dir = mkdtempSync(join(tmpdir(), "comaster-bench-upload-"));
let server;
try {
  // 1. Bundle the server. The database drivers stay external and resolve through a node_modules link.
  await build({
    stdin: { contents: SERVER, resolveDir: join(ROOT, "apps/web"), sourcefile: "bench-server.mjs", loader: "ts" },
    outfile: join(dir, "server.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: {
      js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
    },
    external: ["@prisma/adapter-libsql", "@prisma/adapter-pg", "@prisma/client", "@prisma/client/*", "pg"],
    logLevel: "warning",
  });
  symlinkSync(join(ROOT, "packages/db/node_modules"), join(dir, "node_modules"), "dir");

  // 2. A migrated SQLite database, a blob store and a spool directory.
  const env = {
    ...process.env,
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    BLOB_ROOT: join(dir, "blobs"),
    UPLOAD_TMP: join(dir, "spool"),
    COMASTER_CLI: CLI,
  };
  mkdirSync(env.UPLOAD_TMP);
  const migrated = spawnSync(process.execPath, [join(ROOT, "packages/db/scripts/migrate.mjs")], {
    env,
    encoding: "utf8",
  });
  if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stderr}`);

  // 3. The file, written in blocks (never whole in memory).
  const wav = join(dir, "mix.wav");
  const seconds = Math.floor((MB * 1e6 - 44) / BYTES_PER_SECOND);
  let t0 = performance.now();
  writeWav24(wav, SAMPLE_RATE, seconds, musicLike(SAMPLE_RATE, 5));
  const size = statSync(wav).size;
  console.log(
    `generated ${(size / 1e6).toFixed(0)} MB WAV (24-bit stereo 48 kHz, ${(seconds / 60).toFixed(1)} min) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // 4. Start the server and wait for its port.
  server = spawn(process.execPath, [join(dir, "server.mjs")], { env, stdio: ["ignore", "pipe", "inherit"] });
  const [line] = await once(server.stdout, "data");
  const { port } = JSON.parse(String(line));
  const stats = () => getJson(port);
  const before = await stats();

  // 5. Upload, streamed from disk.
  t0 = performance.now();
  const { status, body } = await post(port, wav, size);
  const seconds1 = (performance.now() - t0) / 1000;
  const after = await stats();
  if (status !== 201) throw new Error(`upload failed: ${status} ${body}`);
  const { asset } = JSON.parse(body);
  const p = after.phases;
  const mib = (kb) => `${(kb / 1024).toFixed(0)} MiB`;

  console.log(`\nupload + analyse ${(size / 1e6).toFixed(0)} MB WAV through handleUpload (HTTP, child server)`);
  console.log(
    `  wall time                         ${seconds1.toFixed(2)} s  (${(size / 1e6 / seconds1).toFixed(0)} MB/s)`,
  );
  console.log(`    receive (stream, hash, spool)   ${((p.received - p.start) / 1000).toFixed(2)} s`);
  console.log(`    analyse (child process)         ${((p.analysed - p.received) / 1000).toFixed(2)} s`);
  console.log(`    store blob + asset row          ${((p.done - p.analysed) / 1000).toFixed(2)} s`);
  console.log(`  server RSS before upload          ${mib(before.rssNowKb)}`);
  const growthKb = after.maxRssKb - before.rssNowKb;
  console.log(`  server peak RSS (getrusage)       ${mib(after.maxRssKb)}`);
  console.log(
    `  server RSS growth for the upload  ${mib(growthKb)}  (${((growthKb * 1024 * 100) / size).toFixed(1)}% of the file; target: flat, far below ${(size / 2 ** 20).toFixed(0)} MiB)`,
  );
  console.log(`  server peak RSS during the upload ${mib(after.rssMaxSampledKb)} (sampled every 100 ms)`);
  console.log(`  analysis process peak RSS         ${mib(after.analysisMaxRssKb)}`);
  console.log(
    `  result: ${asset.format}, ${asset.durationSeconds.toFixed(1)} s, ${asset.integratedLufs?.toFixed(1)} LUFS, LRA ${asset.loudnessRangeLu?.toFixed(1)} LU, ${asset.truePeakDbtp?.toFixed(1)} dBTP, PLR ${asset.plrDb?.toFixed(1)} dB, correlation ${asset.correlation?.toFixed(2)}, ${asset.clippedSamples} clipped`,
  );
} finally {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await once(server, "exit");
  }
  rmSync(dir, { recursive: true, force: true });
}

function getJson(port) {
  return new Promise((resolve, reject) => {
    request({ port, host: "127.0.0.1", path: "/stats", method: "GET" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve(JSON.parse(text)));
    })
      .on("error", reject)
      .end();
  });
}

function post(port, file, size) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        port,
        host: "127.0.0.1",
        path: "/api/projects/bench/upload",
        method: "POST",
        headers: {
          "content-type": "application/octet-stream",
          "content-length": String(size),
          "x-file-name": encodeURIComponent("bench mix.wav"),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode, body: text }));
      },
    );
    req.on("error", reject);
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(req);
  });
}
