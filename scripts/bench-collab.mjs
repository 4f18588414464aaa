#!/usr/bin/env node
// `pnpm bench collab`: our collaboration server (apps/web/dist/collab.mjs, built when missing) against
// the stock y-websocket server (@y/websocket-server) in the same run, each as its own process on
// loopback. Ours runs as deployed: token and membership checked on connect, every update validated
// against the chain schema and appended to SQLite (a fresh, migrated file) before it is relayed.
// 1. Edit-to-seen latency: 2, 10 and 30 y-websocket WebsocketProviders in one room (in this process)
//    take turns setting the limiter's ceiling, one edit every 20 ms; for every edit and every other
//    client, the time until that client's doc holds it (matched by the editor's Yjs clock). The p99
//    is over every (edit, receiver) sample; one edit's receivers share its fate (a pause delays them
//    all), so the edit count sets how steady the p99 is: 1500 edits put it near the 15th-worst edit.
// 2. Server memory: 100 rooms × 30 synced clients (raw ws + sync + awareness, in two child
//    processes), VmRSS after a settle and VmHWM of the server process.
// Prints figures and the targets beside them; asserts nothing. BENCH_COLLAB_EDITS: edits per size
// (default 1500, 30 s per size). BENCH_COLLAB_CPU_PROF=<dir>: write a --cpu-prof of our server's
// latency run there.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { connectClient } from "./lib/collabClient.mjs";
import {
  ensureOurBundle,
  killAll,
  ORIGIN,
  prepareDatabase,
  signToken,
  startServer,
  stockAvailable,
  track,
  webRequire,
} from "./lib/collabServers.mjs";

const Y = webRequire("yjs");
const { WebsocketProvider } = webRequire("y-websocket");
const WebSocket = webRequire("ws");
process.setMaxListeners(100); // each WebsocketProvider adds a process "exit" listener

const EDITS = Number(process.env.BENCH_COLLAB_EDITS ?? 1500);
const EDIT_EVERY_MS = 20;
const SIZES = [2, 10, 30];
const MEM_ROOMS = 100;
const MEM_CLIENTS = 30;
const LOAD_PROCESSES = 2;
const SETTLE_MS = 3000;
const P99_TARGET = 1.5;
const MEMORY_TARGET_MB = 300;
const CPU_PROF = process.env.BENCH_COLLAB_CPU_PROF ? resolve(process.env.BENCH_COLLAB_CPU_PROF) : null;
const LOAD = fileURLToPath(new URL("./lib/collabLoad.mjs", import.meta.url));

if (!stockAvailable()) {
  console.error("bench collab: @y/websocket-server is not installed (pnpm install)");
  process.exit(2);
}
ensureOurBundle();

const SECRET = randomBytes(24).toString("base64url");
const USERS = Array.from({ length: MEM_CLIENTS }, (_, i) => `bench-user-${i}`);
const tokenFor = (kind, projectId, i) =>
  kind === "ours"
    ? signToken(SECRET, { userId: USERS[i], projectId, role: "editor", name: `User ${i}`, color: "#3b82f6" })
    : null;

const work = mkdtempSync(join(tmpdir(), "comaster-bench-collab-"));
const cleanup = () => {
  killAll();
  rmSync(work, { recursive: true, force: true });
};
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A `ws` WebSocket that sends our allowed Origin (what a browser would). */
class OriginWebSocket extends WebSocket {
  constructor(url, protocols) {
    super(url, protocols, { headers: { origin: ORIGIN } });
  }
}

async function until(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The document our server builds for a new project (streaming preset): the seed of the stock rooms. */
async function initialState(server) {
  const client = await connectClient(`${server.url}/bench-seed?token=${tokenFor("ours", "bench-seed", 0)}`, {
    origin: ORIGIN,
  });
  const state = Y.encodeStateAsUpdate(client.doc);
  client.close();
  return state;
}

/** Index of the limiter in a chain document (every preset holds one). */
function limiterIndex(doc) {
  const index = doc
    .getArray("modules")
    .toArray()
    .findIndex((m) => m.get("type") === "limiter");
  if (index < 0) throw new Error("the document has no limiter");
  return index;
}

/** Opens `n` providers in one room of `server` and waits until every one holds the chain document. */
async function openRoom(server, n, seed) {
  const room = `bench-latency-${n}`;
  const clients = [];
  const open = (i) => {
    const doc = new Y.Doc();
    if (i === 0 && server.kind === "stock") Y.applyUpdate(doc, seed); // the first client brings the document
    const token = tokenFor(server.kind, room, i);
    const provider = new WebsocketProvider(server.url, room, doc, {
      WebSocketPolyfill: OriginWebSocket,
      params: token ? { token } : {},
      disableBc: true, // every message through the server, none between providers of this process
    });
    provider.awareness.setLocalState({ cursor: { moduleId: "limiter" } });
    clients.push({ doc, provider, pointers: new Map() });
  };
  open(0);
  const ready = (c) => c.provider.synced && c.doc.getArray("modules").length > 0;
  await until(() => ready(clients[0]), 15_000, `the first client on the ${server.kind} server`);
  for (let i = 1; i < n; i++) open(i);
  await until(() => clients.every(ready), 30_000, `${n} synced clients on the ${server.kind} server`);
  const params = clients.map((c) => c.doc.getArray("modules").get(limiterIndex(c.doc)).get("params"));

  // Each edit as (editor's clientID → [{ clock after the edit, t0 }]); a receiver has seen an edit once
  // a transaction from the server raised its doc's state of the editor to that clock (LWW on the key
  // cannot hide it). Read from the transaction's state vectors, not by decoding the update again:
  // the 60 receivers of the 30-client rooms share this process, so measuring should cost little.
  const edits = new Map();
  const latencies = [];
  for (const c of clients) {
    c.doc.on("afterTransaction", (transaction) => {
      if (transaction.origin !== c.provider) return;
      const now = performance.now();
      for (const [clientId, list] of edits) {
        const clock = transaction.afterState.get(clientId) ?? 0;
        if (clock === (transaction.beforeState.get(clientId) ?? 0)) continue; // nothing new (e.g. an echo)
        let at = c.pointers.get(clientId) ?? 0;
        while (at < list.length && list[at].clock <= clock) latencies.push(now - list[at++].t0);
        c.pointers.set(clientId, at);
      }
    });
  }
  return {
    server,
    latencies,
    /** Edit number `k`: client k mod n sets the limiter's ceiling (−0.1 … −2.99 dBTP, inside its range). */
    edit(k) {
      const editor = clients[k % n];
      const value = Math.round((0.1 + (k % 290) / 100) * 100) / -100;
      const t0 = performance.now();
      editor.doc.transact(() => params[k % n].set("ceilingDbtp", value));
      const id = editor.doc.clientID;
      if (!edits.has(id)) edits.set(id, []);
      edits.get(id).push({ clock: Y.getState(editor.doc.store, id), t0 });
    },
    close() {
      for (const c of clients) {
        c.provider.destroy();
        c.doc.destroy();
      }
    },
  };
}

/**
 * Edit-to-seen latency with `n` clients per room, both servers in the same period: one room on
 * each, edits alternating between them every EDIT_EVERY_MS / 2 (each room gets one edit every
 * EDIT_EVERY_MS), so a burst of load elsewhere on the machine hits both alike.
 */
async function latency(servers, n, seed) {
  const rooms = [];
  for (const server of servers) rooms.push(await openRoom(server, n, seed));
  const cpu0 = servers.map((s) => s.cpuSeconds());
  const start = performance.now();
  for (let step = 0; step < EDITS * rooms.length; step++) {
    const wait = start + (step * EDIT_EVERY_MS) / rooms.length - performance.now();
    if (wait > 0) await sleep(wait);
    rooms[step % rooms.length].edit(Math.floor(step / rooms.length));
  }
  const expected = EDITS * (n - 1);
  await until(() => rooms.every((r) => r.latencies.length >= expected), 10_000, "every edit seen").catch(() => {});
  const seconds = (performance.now() - start) / 1000;
  const result = {};
  rooms.forEach((r, i) => {
    r.close();
    result[r.server.kind] = {
      sorted: r.latencies.sort((a, b) => a - b),
      expected,
      cpuShare: (r.server.cpuSeconds() - cpu0[i]) / seconds,
    };
  });
  return result;
}

/** Server memory with MEM_ROOMS × MEM_CLIENTS synced clients held by LOAD_PROCESSES children. */
async function memory(server, seed) {
  const idle = server.memory();
  const rooms = Array.from({ length: MEM_ROOMS }, (_, r) => {
    const room = `bench-memory-${r}`;
    return { room, tokens: USERS.map((_, i) => tokenFor(server.kind, room, i)) };
  });
  const t0 = performance.now();
  const loads = Array.from({ length: LOAD_PROCESSES }, (_, p) => {
    const child = fork(LOAD, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    track(child);
    const reply = new Promise((resolve, reject) => {
      child.once("message", resolve);
      child.once("exit", (code) => reject(new Error(`a load process exited (${code})`)));
    });
    child.send({
      url: server.url,
      origin: ORIGIN,
      seed: server.kind === "stock" ? Array.from(seed) : undefined,
      rooms: rooms.filter((_, r) => r % LOAD_PROCESSES === p),
      parallelRooms: 4,
    });
    return { child, reply };
  });
  const replies = await Promise.all(loads.map((l) => l.reply));
  const connectSeconds = (performance.now() - t0) / 1000;
  await sleep(SETTLE_MS);
  const settled = server.memory();
  for (const { child } of loads) {
    const exited = new Promise((r) => child.once("exit", r));
    child.send("stop");
    await exited;
  }
  return {
    idle,
    settled,
    connectSeconds,
    connected: replies.reduce((s, r) => s + r.connected, 0),
    failed: replies.reduce((s, r) => s + r.failed, 0),
    errors: replies.flatMap((r) => r.errors),
  };
}

const databaseUrl = `file:${join(work, "collab.db")}`;
await prepareDatabase(databaseUrl, {
  users: USERS,
  projects: [
    "bench-seed",
    ...SIZES.map((n) => `bench-latency-${n}`),
    ...Array.from({ length: MEM_ROOMS }, (_, r) => `bench-memory-${r}`),
  ],
});
const start = (kind, extra = {}) => startServer(kind, { databaseUrl, secret: SECRET, cwd: work, ...extra });

console.log(
  `collaboration servers on loopback, ${cpus().length} CPU cores; each server its own process\n` +
    "  ours:  apps/web/dist/collab.mjs (token + membership on connect; every update validated against the chain\n" +
    "         schema and appended to SQLite before relay; fresh migrated SQLite file)\n" +
    "  stock: @y/websocket-server 0.1.1 (in memory, no checks); rooms seeded by their first client with the\n" +
    "         document ours builds (streaming preset)\n",
);

const loadBefore = loadavg()
  .map((l) => l.toFixed(1))
  .join(" ");
// 1. Latency: both servers up; the sizes one after the other.
const ours = await start("ours", { nodeArgs: CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", CPU_PROF] : [] });
const stock = await start("stock");
const results = { ours: {}, stock: {} };
let seed;
try {
  seed = await initialState(ours);
  for (const n of SIZES) {
    const r = await latency([ours, stock], n, seed);
    results.ours[n] = r.ours;
    results.stock[n] = r.stock;
  }
} finally {
  await Promise.all([ours.stop(), stock.stop()]);
}
const loadAfter = loadavg()
  .map((l) => l.toFixed(1))
  .join(" ");

console.log(
  `edit-to-seen latency: y-websocket WebsocketProviders in this process; per room one edit (limiter ceilingDbtp) ` +
    `every ${EDIT_EVERY_MS} ms, clients in turn, ${EDITS} edits per size, the two servers' rooms interleaved; samples: ` +
    "one per edit and receiving client; " +
    `time until every other client's doc holds it (load average before: ${loadBefore}, after: ${loadAfter})`,
);
console.log(
  `  clients  server   p50 ms   p99 ms   max ms       samples  unseen  server CPU  ours/stock p99 (target <= ${P99_TARGET}x)`,
);
for (const n of SIZES) {
  for (const kind of ["ours", "stock"]) {
    const r = results[kind][n];
    const p99 = percentile(r.sorted, 99);
    const ratio =
      kind === "ours" ? `${(p99 / percentile(results.stock[n].sorted, 99)).toFixed(2)}x` : "".padStart(5, " ");
    console.log(
      `  ${String(n).padStart(7)}  ${kind.padEnd(6)} ${percentile(r.sorted, 50).toFixed(2).padStart(7)}  ` +
        `${p99.toFixed(2).padStart(7)}  ${r.sorted.at(-1).toFixed(1).padStart(7)}  ${String(r.sorted.length).padStart(12)}  ` +
        `${String(r.expected - r.sorted.length).padStart(6)}  ${(r.cpuShare * 100).toFixed(0).padStart(8)} %  ${ratio}`,
    );
  }
}
const ev = ours.events;
console.log(
  `  our server's events: ${ev.refused} refused, ${ev.malformed} malformed, ${ev.storeFailed} store failures, ` +
    `${ev.compacted} compactions\n`,
);

// 2. Memory: a fresh server process per kind.
const mem = {};
for (const kind of ["ours", "stock"]) {
  const server = await start(kind);
  try {
    mem[kind] = await memory(server, seed);
  } finally {
    await server.stop();
  }
}
const total = MEM_ROOMS * MEM_CLIENTS;
console.log(
  `server memory: ${MEM_ROOMS} rooms x ${MEM_CLIENTS} synced clients (${total} connections; raw ws + sync + ` +
    `awareness clients in ${LOAD_PROCESSES} child processes), after a ${SETTLE_MS / 1000}-s settle`,
);
console.log("  server   idle MB   VmRSS MB   VmHWM MB   KB/connection   connect s   synced");
for (const kind of ["ours", "stock"]) {
  const m = mem[kind];
  const perConn = ((m.settled.rssMb - m.idle.rssMb) * 1024) / Math.max(1, m.connected);
  console.log(
    `  ${kind.padEnd(6)} ${m.idle.rssMb.toFixed(0).padStart(8)}  ${m.settled.rssMb.toFixed(0).padStart(9)}  ` +
      `${m.settled.hwmMb.toFixed(0).padStart(9)}  ${perConn.toFixed(1).padStart(14)}  ${m.connectSeconds.toFixed(1).padStart(10)}  ` +
      `${String(m.connected).padStart(7)}${m.failed ? ` (${m.failed} failed: ${m.errors.join("; ")})` : ""}` +
      (kind === "ours" ? `   (target < ${MEMORY_TARGET_MB} MB)` : ""),
  );
}
