#!/usr/bin/env node
// `pnpm bench web` (or `node scripts/bench-web.mjs [--build|--no-build] [--no-upload]`): the first-load
// JavaScript of each route of the web app's production build, then the upload bench
// (scripts/bench-upload.mjs: time and peak server memory to upload and analyse a generated 500 MB WAV).
// Prints figures; asserts nothing.
//
// How the per-route figure is found: from the build's own manifests, without starting a server. For an
// App Router page, Next 16 (Turbopack) writes
//   .next/server/app/<route>/page/build-manifest.json      rootMainFiles: the runtime, React and the
//                                                           Next client, loaded by every page
//   .next/server/app/<route>/page_client-reference-manifest.js
//                                                           entryJSFiles: the client chunks of each
//                                                           layout/page (and boundary) of that route
// and the HTML `next start` serves is exactly rootMainFiles + those entry chunks as `<script async>`
// (checked against the served HTML of every page, signed out and signed in). polyfillFiles are left out:
// they are `<script nomodule>`, which current browsers do not download. Chunks fetched later by dynamic
// import() are not first-load JS. This reads dynamic routes (/classes/[classId], ...) as well as
// static ones, needs no database, user or port, and does not depend on what a page renders for the
// data it is given (fetching the HTML would).
//
// The build: `next build` runs when .next/BUILD_ID is missing or older than a source of the web app or
// of a workspace package (tests excluded); --build forces it, --no-build skips it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEB = join(ROOT, "apps/web");
const NEXT_DIR = join(WEB, ".next");
const args = new Set(process.argv.slice(2));

/** Newest mtime (ms) of the source files under dir, skipping build output, dependencies and tests. */
function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if ([".next", "node_modules", "dist", ".turbo", "test-results"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!/\.test\.[cm]?[jt]sx?$|\.tsbuildinfo$/.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsStale() {
  const buildId = join(NEXT_DIR, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const packages = readdirSync(join(ROOT, "packages")).map((name) => join(ROOT, "packages", name));
  return Math.max(newestSource(WEB), ...packages.map(newestSource)) > statSync(buildId).mtimeMs;
}

if (args.has("--build") || (!args.has("--no-build") && buildIsStale())) {
  console.log("bench-web: building apps/web (next build)\n");
  const r = spawnSync(process.execPath, [join(WEB, "node_modules/next/dist/bin/next"), "build"], {
    cwd: WEB,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
} else if (!existsSync(join(NEXT_DIR, "BUILD_ID"))) {
  console.error("bench-web: no production build in apps/web/.next (run without --no-build)");
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const fileSizes = new Map();
/** Raw and gzip (level 9) bytes of a file under .next/ ("static/chunks/x.js"). */
function sizeOf(file) {
  let size = fileSizes.get(file);
  if (!size) {
    const bytes = readFileSync(join(NEXT_DIR, file));
    size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    fileSizes.set(file, size);
  }
  return size;
}
const total = (files) =>
  files.reduce(
    (sum, f) => {
      const s = sizeOf(f);
      return { raw: sum.raw + s.raw, gzip: sum.gzip + s.gzip };
    },
    { raw: 0, gzip: 0 },
  );

/** The JS chunks a browser downloads on the first load of an app page ("/classes/[classId]/page"). */
function firstLoadChunks(entry) {
  const dir = join(NEXT_DIR, "server/app", entry);
  const perRoute = join(dir, "build-manifest.json");
  const buildManifest = readJson(existsSync(perRoute) ? perRoute : join(NEXT_DIR, "build-manifest.json"));
  const sandbox = {};
  sandbox.globalThis = sandbox;
  sandbox.self = sandbox;
  runInNewContext(readFileSync(`${dir}_client-reference-manifest.js`, "utf8"), sandbox);
  const manifest = sandbox.__RSC_MANIFEST?.[entry];
  if (!manifest) throw new Error(`bench-web: no client reference manifest for ${entry}`);
  const files = [...buildManifest.rootMainFiles, ...Object.values(manifest.entryJSFiles ?? {}).flat()];
  return [...new Set(files)].filter((f) => f.endsWith(".js"));
}

// Routes, as the build lists them; "/_not-found" and "/_global-error" are Next's own.
const routes = Object.entries(readJson(join(NEXT_DIR, "app-path-routes-manifest.json")))
  .filter(([, route]) => !route.startsWith("/_"))
  .sort(([, a], [, b]) => Number(a.startsWith("/api/")) - Number(b.startsWith("/api/")) || a.localeCompare(b));
const pages = routes
  .filter(([entry]) => entry.endsWith("/page"))
  .map(([entry, route]) => ({ route, files: firstLoadChunks(entry) }));
const apiRoutes = routes.filter(([entry]) => entry.endsWith("/route")).map(([, route]) => route);
const shared = pages.length ? pages[0].files.filter((f) => pages.every((p) => p.files.includes(f))) : [];

const kb = (bytes) => (bytes / 1000).toFixed(1).padStart(7);
const sharedSize = total(shared);
const buildId = readFileSync(join(NEXT_DIR, "BUILD_ID"), "utf8").trim();
console.log(`first-load JavaScript per route (build ${buildId}; kB = 1000 bytes; gzip level 9)\n`);
console.log(
  `  ${"route".padEnd(34)} ${"chunks".padStart(6)} ${"raw kB".padStart(7)} ${"gzip kB".padStart(7)}   route-specific raw / gzip kB`,
);
for (const { route, files } of pages) {
  const all = total(files);
  const own = total(files.filter((f) => !shared.includes(f)));
  console.log(
    `  ${route.padEnd(34)} ${String(files.length).padStart(6)} ${kb(all.raw)} ${kb(all.gzip)}   ${kb(own.raw)} / ${kb(own.gzip)}`,
  );
}
console.log(
  `  ${"shared by all pages".padEnd(34)} ${String(shared.length).padStart(6)} ${kb(sharedSize.raw)} ${kb(sharedSize.gzip)}`,
);
for (const route of apiRoutes) console.log(`  ${route.padEnd(34)} server-only (API route, no client JS)`);
console.log("");

if (!args.has("--no-upload")) {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/bench-upload.mjs")], { stdio: "inherit" });
  process.exitCode = r.status ?? 1;
}
