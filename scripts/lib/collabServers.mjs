// The two collaboration servers `pnpm bench collab` compares, each as its own process: ours
// (apps/web/dist/collab.mjs: token, membership, validation of every update, SQLite log before relay)
// and the stock y-websocket server (@y/websocket-server, in memory, no checks). Also the token
// signer (the format of apps/web/src/collab/collabToken.ts) and the SQLite seeding ours needs.
import { spawn, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./freePort.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WEB = join(ROOT, "apps/web");
export const OUR_BUNDLE = join(WEB, "dist/collab.mjs");
const MIGRATE = join(ROOT, "packages/db/scripts/migrate.mjs");
const STOCK = join(ROOT, "node_modules/@y/websocket-server/src/server.js");

/** The web app's dependencies (yjs, y-protocols, y-websocket, lib0, ws): one copy of each, as the app uses them. */
export const webRequire = createRequire(join(WEB, "package.json"));

/** Origin our server allows (COMASTER_BASE_URL); clients send it. */
export const ORIGIN = "http://bench.comaster.invalid";

/**
 * Builds apps/web/dist/collab.mjs from the current source (esbuild, about a second): `pnpm bench`'s
 * turbo build does not cover it, and a bundle left from an earlier build would measure old code.
 */
export function ensureOurBundle() {
  console.log("building apps/web/dist/collab.mjs …");
  const r = spawnSync(process.execPath, ["build-collab.mjs"], { cwd: WEB, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build-collab.mjs failed:\n${r.stderr}`);
}

export function stockAvailable() {
  return existsSync(STOCK);
}

/** A collaboration token: base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part)). */
export function signToken(secret, identity, ttlSeconds = 3600) {
  const body = Buffer.from(JSON.stringify({ ...identity, exp: Math.floor(Date.now() / 1000) + ttlSeconds })).toString(
    "base64url",
  );
  return `${body}.${createHmac("sha256", secret).update(body).digest("base64url")}`;
}

/** Migrates a fresh SQLite file and inserts one class with `users` students and the projects. */
export async function prepareDatabase(url, { users, projects }) {
  const migrated = spawnSync(process.execPath, [MIGRATE], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (migrated.status !== 0) throw new Error(`migration failed:\n${migrated.stderr}`);
  // @libsql/client is what the Prisma SQLite adapter of packages/db uses; load that copy.
  const adapter = realpathSync(join(ROOT, "packages/db/node_modules/@prisma/adapter-libsql/package.json"));
  const { createClient } = createRequire(adapter)("@libsql/client");
  const db = createClient({ url });
  try {
    const statements = [
      {
        sql: `INSERT INTO "Class" ("id", "name", "inviteCode") VALUES ('bench-class', 'Bench', 'BENCHCODE')`,
        args: [],
      },
    ];
    for (const id of users) {
      statements.push(
        {
          sql: `INSERT INTO "User" ("id", "username", "displayName", "email") VALUES (?, ?, ?, ?)`,
          args: [id, id, `Bench ${id}`, `${id}@bench.invalid`],
        },
        {
          sql: `INSERT INTO "Membership" ("id", "userId", "classId", "role") VALUES (?, ?, 'bench-class', 'student')`,
          args: [`m-${id}`, id],
        },
      );
    }
    for (const id of projects) {
      statements.push({
        sql: `INSERT INTO "Project" ("id", "classId", "name") VALUES (?, 'bench-class', ?)`,
        args: [id, id],
      });
    }
    await db.batch(statements, "write");
  } finally {
    db.close();
  }
}

/** Every child this module started, so `stopAll` can end them on any exit path. */
const children = new Set();

/**
 * Starts a server process and resolves once it listens.
 * @param {"ours"|"stock"} kind
 * @param {{ databaseUrl?: string, secret?: string, cwd: string, nodeArgs?: string[] }} options
 */
export async function startServer(kind, { databaseUrl, secret, cwd, nodeArgs = [] }) {
  const port = await freePort();
  const env =
    kind === "ours"
      ? {
          DATABASE_URL: databaseUrl,
          COLLAB_SECRET: secret,
          BETTER_AUTH_SECRET: secret, // else the env reader would create one under .data/
          COLLAB_PORT: String(port),
          COMASTER_BASE_URL: ORIGIN,
          NODE_ENV: "production",
        }
      : { HOST: "127.0.0.1", PORT: String(port) };
  const child = spawn(process.execPath, [...nodeArgs, kind === "ours" ? OUR_BUNDLE : STOCK], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let log = "";
  const events = { refused: 0, malformed: 0, storeFailed: 0, compacted: 0 };
  const onOut = (chunk) => {
    const text = String(chunk);
    for (const type of Object.keys(events)) events[type] += text.split(`"type":"${type}"`).length - 1;
    log = (log + text).slice(-20_000);
  };
  child.stdout.on("data", onOut);
  child.stderr.on("data", onOut);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  const ready = kind === "ours" ? "collaboration server on" : "running at";
  const deadline = Date.now() + 30_000;
  while (!log.includes(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the ${kind} server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    kind,
    pid: child.pid,
    url: `ws://127.0.0.1:${port}/collab`,
    events,
    log: () => log,
    /** VmRSS and VmHWM of the server process (MB). */
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
      return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
    },
    /** CPU time the process used so far (s), from /proc/<pid>/stat (utime + stime). */
    cpuSeconds() {
      const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Registers a child process started elsewhere (client load) for `killAll`. */
export function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
}

/** Kills every child still running (on failure paths and exit). */
export function killAll() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
}
