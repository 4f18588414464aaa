/**
 * The collaboration server end to end: a real server on a free port, stock y-websocket providers in
 * Node (`ws` as the WebSocket), edits through the @comaster/chain operations.
 */
import {
  type Chain,
  docToChain,
  MODULE_SPECS,
  type ModuleType,
  modulesOf,
  type ParamSpec,
  presetChain,
  setBypass,
  setParam,
} from "@comaster/chain";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { CLOSE } from "./closeCodes";
import { type CollabServer, type CollabServerOptions, startCollabServer } from "./collabServer";
import { type CollabIdentity, type CollabRole, signCollabToken } from "./collabToken";
import { MemoryRoomStore } from "./roomStore";

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
for (let i = 0; i < 12; i++) members.set(`user${i}:${PROJECT}`, "editor");

type ServerEvent = Parameters<NonNullable<CollabServerOptions["onEvent"]>>[0];
let events: ServerEvent[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  events = [];
});

async function startServer(store = new MemoryRoomStore()): Promise<CollabServer> {
  const server = await startCollabServer({
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

  it("converges 12 clients after seeded random edits", async () => {
    process.setMaxListeners(30); // each provider adds a process "exit" listener
    const server = await startServer();
    const clients = await Promise.all(Array.from({ length: 12 }, (_, i) => connect(server, `user${i}`)));
    let seed = 42;
    const rng = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 15; round++) {
      for (const { doc } of clients) {
        const modules = chainOf(doc).modules.filter((m) => m.type !== "multiband"); // crossovers have order rules
        const target = modules[Math.floor(rng() * modules.length)]!;
        if (rng() < 0.2) setBypass(doc, target.id, rng() < 0.5);
        else {
          const specs = MODULE_SPECS[target.type].params as readonly ParamSpec[];
          const spec = specs[Math.floor(rng() * specs.length)]!;
          const value =
            spec.kind === "number"
              ? Math.round((spec.min + rng() * (spec.max - spec.min)) * 10) / 10
              : spec.kind === "enum"
                ? spec.options[Math.floor(rng() * spec.options.length)]!
                : rng() < 0.5;
          setParam(doc, target.id, spec.key, value);
        }
      }
      await sleep(5);
    }
    const room = server.room(PROJECT)!;
    await waitFor(() => clients.every((c) => json(c.doc) === json(room.doc)), "12 clients converged", 10_000);
    expect(events.filter((e) => e.type === "refused")).toEqual([]);
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
