/**
 * The collaboration server as its own process (the built `dist/collab.mjs`, as `pnpm start` runs it)
 * on a real database: SIGKILL it while editors keep editing, start it again, and check that every
 * update a peer had received before the kill is still there. A peer only receives an update after the
 * server appended it to the store, so "received by a peer" is what "acknowledged" means here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { docToChain } from "@comaster/chain";
import { createClass, createDb, createProject, createUser, type Db } from "@comaster/db";
import { freshPostgres, freshSqlite, runScript, type TestDatabase } from "@comaster/db/testing";
import { prng } from "@comaster/dsp";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { testProviders } from "../server/testing/testServices";
import { signCollabToken } from "./collabToken";
import { randomEdit } from "./testing";

const BUNDLE = fileURLToPath(new URL("../../dist/collab.mjs", import.meta.url));
const SECRET = "crash-test-secret-0123456789";
const ORIGIN = "http://localhost:3999";

class OriginWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { origin: ORIGIN } });
  }
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Running {
  child: ChildProcess;
  output(): string;
}

async function startProcess(databaseUrl: string, port: number): Promise<Running> {
  const child = spawn(process.execPath, [BUNDLE], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      COLLAB_SECRET: SECRET,
      COLLAB_PORT: String(port),
      COMASTER_BASE_URL: ORIGIN,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => (out += d));
  child.stderr?.on("data", (d) => (out += d));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  await waitFor(() => out.includes("collaboration server on") || child.exitCode !== null, "the server to listen");
  if (child.exitCode !== null) throw new Error(`the collaboration server exited:\n${out}`);
  return { child, output: () => out };
}

function connect(port: number, userId: string, projectId: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const token = signCollabToken({ userId, projectId, role: "editor", name: userId, color: "#123456" }, SECRET, 300);
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, projectId, doc, {
    params: { token },
    WebSocketPolyfill: OriginWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider };
}

/** True when the state vector `have` covers everything `seen` describes. */
function covers(have: Map<number, number>, seen: Map<number, number>): boolean {
  for (const [client, clock] of seen) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/** True when `doc` holds everything `seen` describes (a state vector taken from a peer). */
function includes(doc: Y.Doc, seen: Map<number, number>): boolean {
  return covers(Y.decodeStateVector(Y.encodeStateVector(doc)), seen);
}

const providers = await testProviders();
const bundleBuilt = existsSync(BUNDLE);
if (!bundleBuilt)
  console.warn(`!!! ${BUNDLE} is missing: run \`pnpm build\` (pnpm test does) — failing the crash test`);

describe.each(providers)("collaboration server process on $provider", ({ provider, skip }) => {
  it.skipIf(skip)(
    "SIGKILL mid-editing, restart: every update a peer had received is still there",
    async () => {
      expect(bundleBuilt).toBe(true);
      const tdb: TestDatabase = provider === "sqlite" ? await freshSqlite() : await freshPostgres();
      cleanups.push(() => tdb.drop());
      await runScript("migrate.mjs", [], { DATABASE_URL: tdb.url });
      const db: Db = await createDb(tdb.url);
      cleanups.push(() => db.$disconnect());
      const teacher = await createUser(db, { username: "teacher", displayName: "Teacher", passwordHash: "x" });
      const student = await createUser(db, { username: "student", displayName: "Student", passwordHash: "x" });
      const cls = await createClass(db, "Class", teacher.id);
      await db.membership.create({ data: { userId: student.id, classId: cls.id, role: "student" } });
      const project = await createProject(db, cls.id, "Song");

      const port = await freePort();
      const first = await startProcess(tdb.url, port);
      const editor = connect(port, teacher.id, project.id);
      const watcher = connect(port, student.id, project.id);
      await waitFor(() => editor.provider.synced && watcher.provider.synced, "both synced");

      // The editor edits without pause; the server is killed while updates are in flight.
      const rng = prng(7);
      let edits = 0;
      const editing = setInterval(() => {
        randomEdit(editor.doc, rng);
        edits++;
      }, 5);
      cleanups.push(() => clearInterval(editing));
      await waitFor(() => edits >= 60, "sixty edits");
      // What the watcher has received at the moment of the kill was acknowledged by the server.
      first.child.kill("SIGKILL");
      const acknowledged = Y.decodeStateVector(Y.encodeStateVector(watcher.doc));
      const acknowledgedJson = JSON.stringify(docToChain(watcher.doc));
      await new Promise((resolve) => first.child.once("exit", resolve));
      expect(first.child.signalCode).toBe("SIGKILL");
      clearInterval(editing);
      expect(edits).toBeGreaterThan(60);
      watcher.provider.disconnect();
      editor.provider.disconnect();

      const second = await startProcess(tdb.url, port);
      const fresh = connect(port, student.id, project.id);
      await waitFor(() => fresh.provider.synced, "a fresh client synced after the restart");
      expect(includes(fresh.doc, acknowledged)).toBe(true);
      // When the store held nothing beyond what the watcher had at the kill (the usual case), the
      // restarted room is exactly what it had then. (The watcher's doc itself is no reference here: it
      // goes on taking messages that were on their way when the signal was sent.)
      if (covers(acknowledged, Y.decodeStateVector(Y.encodeStateVector(fresh.doc)))) {
        expect(JSON.stringify(docToChain(fresh.doc))).toBe(acknowledgedJson);
      }

      // The editor reconnects: its unacknowledged edits merge, and everyone converges.
      editor.provider.connect();
      await waitFor(
        () => JSON.stringify(docToChain(editor.doc)) === JSON.stringify(docToChain(fresh.doc)),
        "the editor and the fresh client converge",
      );
      expect(second.output()).not.toMatch(/storeFailed/);
    },
    90_000,
  );
});
