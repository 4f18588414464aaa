/**
 * The collaboration server end to end: a real server on a free port, stock y-websocket providers in
 * Node (`ws` as the WebSocket), edits through the @comaster/chain operations.
 */
import {
  type Chain,
  createUndoManager,
  docToChain,
  type ModuleType,
  modulesOf,
  presetChain,
  setBypass,
  setParam,
} from "@comaster/chain";
import { prng } from "@comaster/dsp";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CLOSE } from "./closeCodes";
import { type CollabServer, type CollabServerOptions, startCollabServer } from "./collabServer";
import { type CollabIdentity, type CollabRole, signCollabToken } from "./collabToken";
import { MemoryRoomStore } from "./roomStore";
import { randomEdit } from "./testing";

const SECRET = "collab-test-secret-0123456789";
const ORIGIN = "http://localhost:3000";
const PROJECT = "p1";

/** `ws` with the allowed Origin, in the shape y-websocket constructs (`new WS(url, protocols)`). */
class OriginWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { headers: { origin: ORIGIN } });
  }
}

const members = new Map<string, CollabRole>([
  [`alice:${PROJECT}`, "editor"],
  [`bob:${PROJECT}`, "editor"],
  [`vera:${PROJECT}`, "viewer"],
  [`alice:ghost`, "editor"],
]);
for (let i = 0; i < 30; i++) members.set(`user${i}:${PROJECT}`, "editor");

type ServerEvent = Parameters<NonNullable<CollabServerOptions["onEvent"]>>[0];
let events: ServerEvent[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  events = [];
});

async function startServer(
  store = new MemoryRoomStore(),
  extra: Partial<CollabServerOptions> = {},
): Promise<CollabServer> {
  const server = await startCollabServer({
    ...extra,
    secret: SECRET,
    allowedOrigins: [ORIGIN],
    store,
    checkMembership: async (userId, projectId) => members.get(`${userId}:${projectId}`) ?? null,
    initialChain: async (projectId) => (projectId === PROJECT ? presetChain("streaming") : null),
    onEvent: (event) => events.push(event),
  });
  cleanups.push(() => server.close());
  return server;
}

function token(userId: string, overrides: Partial<CollabIdentity> = {}, ttl = 60, now = Date.now()): string {
  const identity: CollabIdentity = {
    userId,
    projectId: PROJECT,
    role: members.get(`${userId}:${PROJECT}`) ?? "editor",
    name: userId.toUpperCase(),
    color: "#123456",
    ...overrides,
  };
  return signCollabToken(identity, SECRET, ttl, now);
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closeCodes: number[];
}

async function connect(server: CollabServer, userId: string, projectId = PROJECT): Promise<Client> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url, projectId, doc, {
    params: { token: token(userId, { projectId }) },
    WebSocketPolyfill: OriginWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const closeCodes: number[] = [];
  provider.on("connection-close", (event) => {
    if (event) closeCodes.push(event.code);
  });
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  await waitFor(() => provider.synced, `${userId} synced`);
  return { doc, provider, closeCodes };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const json = (doc: Y.Doc) => JSON.stringify(docToChain(doc));
const chainOf = (doc: Y.Doc) => docToChain(doc) as unknown as Chain;
const moduleOf = (doc: Y.Doc, type: ModuleType) => chainOf(doc).modules.find((m) => m.type === type)!;

const ceilingOf = (doc: Y.Doc) => (moduleOf(doc, "limiter").params as Record<string, unknown>).ceilingDbtp;

/** A raw socket (no y-websocket), recording every message and the close code. */
function rawSocket(url: string, origin = ORIGIN) {
  const ws = new WebSocket(url, { headers: { origin } });
  const messages: Buffer[] = [];
  ws.on("message", (data) => messages.push(data as Buffer));
  const opened = new Promise<void>((resolve) => ws.once("open", () => resolve()));
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  const status = new Promise<number>((resolve) =>
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)),
  );
  ws.on("error", () => {});
  cleanups.push(() => ws.terminate());
  return { ws, messages, opened, closed, status };
}

describe("collaboration server", () => {
  it("syncs the initial chain and converges two editors", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    expect(chainOf(a.doc)).toEqual(presetChain("streaming"));
    const limiter = moduleOf(a.doc, "limiter");
    setParam(a.doc, limiter.id, "ceilingDbtp", -2);
    setBypass(b.doc, moduleOf(b.doc, "loudness").id, true);
    await waitFor(() => json(a.doc) === json(b.doc) && moduleOf(a.doc, "loudness").bypass, "convergence");
    expect(moduleOf(b.doc, "limiter").params).toMatchObject({ ceilingDbtp: -2 });
    expect(json(server.room(PROJECT)!.doc)).toBe(json(a.doc));
  });

  for (const count of [2, 30]) {
    it(`converges ${count} clients after seeded random concurrent edits`, async () => {
      process.setMaxListeners(80); // each provider adds a process "exit" listener
      const server = await startServer();
      const clients = await Promise.all(Array.from({ length: count }, (_, i) => connect(server, `user${i}`)));
      const rng = prng(42 + count);
      for (let round = 0; round < (count === 2 ? 60 : 12); round++) {
        for (const { doc } of clients) randomEdit(doc, rng);
        await sleep(5);
      }
      const room = server.room(PROJECT)!;
      await waitFor(() => clients.every((c) => json(c.doc) === json(room.doc)), `${count} clients converged`, 15_000);
      expect(events.filter((e) => e.type === "refused")).toEqual([]);
      expect(json(room.doc)).not.toBe(JSON.stringify(presetChain("streaming")));
    }, 30_000);
  }

  it("keeps a client's offline edits and merges them when it reconnects", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const limiterId = moduleOf(a.doc, "limiter").id;
    const eqId = moduleOf(a.doc, "eq").id;
    b.provider.disconnect();
    setParam(b.doc, limiterId, "ceilingDbtp", -2.5); // offline
    setBypass(a.doc, eqId, true); // online, while bob is away
    await sleep(100);
    expect(ceilingOf(server.room(PROJECT)!.doc)).not.toBe(-2.5);
    b.provider.connect();
    await waitFor(() => json(a.doc) === json(b.doc) && ceilingOf(a.doc) === -2.5, "offline edits merged");
    expect(moduleOf(b.doc, "eq").bypass).toBe(true);
    expect(json(server.room(PROJECT)!.doc)).toBe(json(a.doc));
  });

  it("undo through the room undoes only that person's edits", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const undoA = createUndoManager(a.doc, a.doc.clientID);
    const limiterId = moduleOf(a.doc, "limiter").id;
    const eqId = moduleOf(a.doc, "eq").id;
    const before = ceilingOf(a.doc);
    setParam(a.doc, limiterId, "ceilingDbtp", -2.2, a.doc.clientID);
    undoA.stopCapturing();
    setBypass(b.doc, eqId, true);
    await waitFor(() => moduleOf(a.doc, "eq").bypass && ceilingOf(b.doc) === -2.2, "both edits everywhere");
    undoA.undo();
    await waitFor(() => ceilingOf(b.doc) === before, "alice's undo reaches bob");
    expect(moduleOf(a.doc, "eq").bypass).toBe(true); // bob's edit stays
    expect(moduleOf(b.doc, "eq").bypass).toBe(true);
    await waitFor(() => json(server.room(PROJECT)!.doc) === json(b.doc), "the room agrees");
  });

  it("limits the connections of one user in a room", async () => {
    const server = await startServer(undefined, { maxConnectionsPerUser: 2 });
    await connect(server, "alice");
    await connect(server, "alice");
    const third = rawSocket(`${server.url}/${PROJECT}?token=${token("alice")}`);
    expect(await third.closed).toBe(CLOSE.RATE_LIMITED);
    expect(third.messages).toEqual([]);
    await connect(server, "bob"); // others still get in
  });

  it("closes a client whose awareness state is too large; the room goes on", async () => {
    const server = await startServer(undefined, { room: { maxAwarenessBytes: 1024 } });
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    a.provider.awareness.setLocalStateField("junk", "x".repeat(4000));
    await waitFor(() => a.closeCodes.includes(CLOSE.MALFORMED), "alice closed");
    expect(b.provider.awareness.getStates().get(a.doc.clientID)?.junk).toBeUndefined();
    const c = await connect(server, "user3");
    setParam(c.doc, moduleOf(c.doc, "limiter").id, "ceilingDbtp", -2.7);
    await waitFor(() => ceilingOf(b.doc) === -2.7, "bob sees the next edit");
  });

  it("refuses an update that would grow the document past its ceiling; the room goes on", async () => {
    const store = new MemoryRoomStore();
    const server = await startServer(store, { room: { maxDocBytes: 6000 } });
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const base = Y.encodeStateAsUpdate(server.room(PROJECT)!.doc).byteLength;
    expect(base).toBeLessThan(6000);
    // a long value in a valid-looking place would still be refused by size first
    const params = modulesOf(a.doc).get(0).get("params") as Y.Map<unknown>;
    params.set("junk", "x".repeat(8000));
    await waitFor(() => events.some((e) => e.type === "refused"), "refusal");
    expect(events.find((e) => e.type === "refused")).toMatchObject({ reason: expect.stringMatching(/^DOC_TOO_LARGE/) });
    setBypass(b.doc, moduleOf(b.doc, "limiter").id, true);
    await waitFor(() => moduleOf(server.room(PROJECT)!.doc, "limiter").bypass, "the room takes bob's edit");
  });

  it("drops and disconnects crafted updates that claim huge counts or lengths", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const crafted = [
      // sync/update with a struct count of 2^32 − 1 and nothing behind it
      [0, 2, 6, 255, 255, 255, 255, 15, 0],
      // sync/update with one client whose string length claims 2^31 bytes
      [0, 2, 12, 1, 1, 0, 0, 4, 255, 255, 255, 255, 7, 97, 98],
      // awareness with an entry count of 2^28
      [1, 6, 255, 255, 255, 127, 1, 2],
      // sync step 1 with a state vector claiming 2^32 entries
      [0, 0, 6, 255, 255, 255, 255, 15, 1],
    ];
    for (const bytes of crafted) {
      const raw = rawSocket(`${server.url}/${PROJECT}?token=${token("user5")}`);
      await raw.opened;
      const t0 = Date.now();
      raw.ws.send(new Uint8Array(bytes));
      expect(await raw.closed).toBe(CLOSE.MALFORMED);
      expect(Date.now() - t0).toBeLessThan(2000);
    }
    setParam(a.doc, moduleOf(a.doc, "limiter").id, "ceilingDbtp", -1.7);
    await waitFor(() => ceilingOf(b.doc) === -1.7, "bob sees alice's edit after the attacks");
  });

  it("compacts the store's log every N updates and after a quiet spell", async () => {
    const store = new MemoryRoomStore();
    const server = await startServer(store, { room: { compactEvery: 5, compactAfterMs: 200 } });
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const limiterId = moduleOf(a.doc, "limiter").id;
    for (let i = 1; i <= 5; i++) setParam(a.doc, limiterId, "ceilingDbtp", -i / 2);
    await waitFor(() => ceilingOf(b.doc) === -2.5, "bob sees five edits");
    await waitFor(() => events.some((e) => e.type === "compacted"), "a compaction by count");
    expect(store.logLength(PROJECT)).toBe(1);
    setParam(a.doc, limiterId, "ceilingDbtp", -3);
    await waitFor(() => ceilingOf(b.doc) === -3, "bob sees the sixth edit");
    expect(store.logLength(PROJECT)).toBe(2);
    await waitFor(() => events.filter((e) => e.type === "compacted").length === 2, "a compaction by time");
    expect(store.logLength(PROJECT)).toBe(1);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await store.load(PROJECT))!);
    expect(json(loaded)).toBe(json(b.doc));
  });

  it("refuses bad, expired and foreign tokens, non-members and unknown rooms before sending anything", async () => {
    const server = await startServer();
    const cases: [string, number][] = [
      ["garbage", CLOSE.UNAUTHORIZED],
      [
        signCollabToken(
          { userId: "alice", projectId: PROJECT, role: "editor", name: "A", color: "#000" },
          "x".repeat(20),
          60,
        ),
        CLOSE.UNAUTHORIZED,
      ],
      [token("alice", {}, 60, Date.now() - 120_000), CLOSE.UNAUTHORIZED],
      [token("mallory"), CLOSE.FORBIDDEN],
      [token("alice", { projectId: "other" }), CLOSE.FORBIDDEN],
    ];
    for (const [t, code] of cases) {
      const raw = rawSocket(`${server.url}/${PROJECT}?token=${encodeURIComponent(t)}`);
      expect(await raw.closed).toBe(code);
      expect(raw.messages).toEqual([]);
    }
    const noToken = rawSocket(`${server.url}/${PROJECT}`);
    expect(await noToken.closed).toBe(CLOSE.UNAUTHORIZED);
    const ghost = rawSocket(`${server.url}/ghost?token=${token("alice", { projectId: "ghost" })}`);
    expect(await ghost.closed).toBe(CLOSE.NOT_FOUND);
    expect(ghost.messages).toEqual([]);
    const wrongOrigin = rawSocket(`${server.url}/${PROJECT}?token=${token("alice")}`, "https://evil.example");
    expect(await wrongOrigin.status).toBe(403);
  });

  it("a stock provider stops at a 44xx close", async () => {
    const server = await startServer();
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(server.url, PROJECT, doc, {
      params: { token: token("mallory") },
      WebSocketPolyfill: OriginWebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    cleanups.push(() => provider.destroy());
    const closed = await new Promise<number>((resolve) => provider.once("closed", (e) => resolve(e.code)));
    expect(closed).toBe(CLOSE.FORBIDDEN);
    expect(docToChain(doc).modules).toEqual([]);
  });

  it("refuses an invalid update without changing the room; the others go on", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const hostile = await connect(server, "user0");
    const limiter = moduleOf(hostile.doc, "limiter");
    const before = json(server.room(PROJECT)!.doc);
    // out of range, straight into the Y.Map (the edit functions would refuse it locally)
    const params = modulesOf(hostile.doc)
      .toArray()
      .find((m) => m.get("id") === limiter.id)!
      .get("params") as Y.Map<unknown>;
    params.set("ceilingDbtp", 1e9);
    await waitFor(() => events.some((e) => e.type === "refused"), "refusal");
    expect(events.find((e) => e.type === "refused")).toMatchObject({
      userId: "user0",
      reason: expect.stringMatching(/^INVALID/),
    });
    expect(json(server.room(PROJECT)!.doc)).toBe(before);
    setParam(a.doc, limiter.id, "ceilingDbtp", -3);
    await waitFor(() => ceilingOf(b.doc) === -3, "bob sees alice's edit");
    expect(json(a.doc)).toBe(json(b.doc));
    expect(json(b.doc)).toBe(json(server.room(PROJECT)!.doc));

    // bytes that are not an update at all: that client is closed with 4400
    const raw = rawSocket(`${server.url}/${PROJECT}?token=${token("bob")}`);
    await raw.opened;
    raw.ws.send(new Uint8Array([0, 2, 3, 255, 255, 255]));
    expect(await raw.closed).toBe(CLOSE.MALFORMED);
    setBypass(b.doc, limiter.id, true);
    await waitFor(() => moduleOf(a.doc, "limiter").bypass, "alice sees bob's edit");
  });

  it("closes a client sending an oversize message, and only that client", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    const raw = rawSocket(`${server.url}/${PROJECT}?token=${token("user1")}`);
    await raw.opened;
    raw.ws.send(new Uint8Array(600 * 1024));
    expect(await raw.closed).toBe(CLOSE.TOO_LARGE);
    setParam(a.doc, moduleOf(a.doc, "limiter").id, "ceilingDbtp", -4);
    await waitFor(() => ceilingOf(b.doc) === -4, "bob sees alice's edit");
  });

  it("closes a client over the message rate with 4429", async () => {
    const server = await startServer();
    const raw = rawSocket(`${server.url}/${PROJECT}?token=${token("alice")}`);
    await raw.opened;
    for (let i = 0; i < 150; i++) raw.ws.send(new Uint8Array([3])); // query awareness
    expect(await raw.closed).toBe(CLOSE.RATE_LIMITED);
  });

  it("drops a viewer's edits but sends it everyone else's", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const viewer = await connect(server, "vera");
    const limiterId = moduleOf(a.doc, "limiter").id;
    setParam(viewer.doc, limiterId, "ceilingDbtp", -6);
    await waitFor(() => events.some((e) => e.type === "viewerUpdateDropped"), "viewer update dropped");
    setBypass(a.doc, limiterId, true);
    await waitFor(() => moduleOf(viewer.doc, "limiter").bypass, "viewer receives alice's edit");
    expect(ceilingOf(a.doc)).not.toBe(-6);
    expect(ceilingOf(server.room(PROJECT)!.doc)).not.toBe(-6);
  });

  it("overwrites the awareness user with the token's identity", async () => {
    const server = await startServer();
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    a.provider.awareness.setLocalStateField("user", { name: "Admin", color: "#fff" });
    a.provider.awareness.setLocalStateField("cursor", { moduleId: "m1" });
    const stateOfA = () => b.provider.awareness.getStates().get(a.doc.clientID) as Record<string, unknown> | undefined;
    await waitFor(() => stateOfA()?.cursor !== undefined, "bob sees alice's cursor");
    expect(stateOfA()).toEqual({
      cursor: { moduleId: "m1" },
      user: { id: "alice", name: "ALICE", color: "#123456", role: "editor" },
    });
  });

  it("relays an update only after the store has appended it", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    class GatedStore extends MemoryRoomStore {
      override async append(projectId: string, update: Uint8Array): Promise<void> {
        await gate;
        return super.append(projectId, update);
      }
    }
    const store = new GatedStore();
    const server = await startServer(store);
    const a = await connect(server, "alice");
    const b = await connect(server, "bob");
    setParam(a.doc, moduleOf(a.doc, "limiter").id, "ceilingDbtp", -7);
    await sleep(150);
    expect(ceilingOf(b.doc)).not.toBe(-7);
    release();
    await waitFor(() => ceilingOf(b.doc) === -7, "bob sees the stored edit");
    expect(store.logLength(PROJECT)).toBe(2); // initial state + the edit
  });

  it("keeps every acknowledged update across a server restart on the same store", async () => {
    const store = new MemoryRoomStore();
    const first = await startServer(store);
    const a = await connect(first, "alice");
    const b = await connect(first, "bob");
    const ids = chainOf(a.doc).modules.map((m) => m.id);
    for (let i = 0; i < 10; i++) setBypass(a.doc, ids[i % ids.length]!, i % 2 === 0);
    setParam(a.doc, moduleOf(a.doc, "limiter").id, "ceilingDbtp", -5);
    await waitFor(() => json(b.doc) === json(a.doc), "bob acknowledged alice's edits");
    const acknowledged = json(b.doc);
    a.provider.destroy();
    b.provider.destroy();
    await first.close();
    const second = await startServer(store);
    const c = await connect(second, "user2");
    expect(json(c.doc)).toBe(acknowledged);
  });
});
