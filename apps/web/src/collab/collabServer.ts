/**
 * The collaboration server: a plain Node HTTP server that upgrades `/collab/<projectId>?token=…` to
 * a WebSocket speaking the y-websocket protocol (so a stock `WebsocketProvider` connects). It runs as
 * its own process (`main.ts`): Next's App Router cannot take WebSocket upgrades.
 *
 * On upgrade: the Origin must be allowed (else HTTP 403, no WebSocket). After it: the token must
 * verify (else close 4401), be for this room and the user must still be a member (else 4403), and the
 * project must exist (else 4404) — all before a byte of the document is sent. Messages that arrive
 * meanwhile are held and run in order once the client joins.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Chain } from "@comaster/chain";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { CLOSE } from "./closeCodes";
import { type CollabRole, verifyCollabToken } from "./collabToken";
import { Room, type RoomConnection, type RoomEvent, type RoomOptions } from "./room";
import type { RoomStore } from "./roomStore";
import { TokenBucket } from "./tokenBucket";

/** Default ceiling of one WebSocket message (the `ws` default is 100 MiB). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 512 * 1024;

export interface CollabServerOptions {
  /** HMAC secret the web app signs collaboration tokens with. */
  secret: string;
  /** Origins allowed to open a socket (exact match, e.g. `https://comaster.example`). */
  allowedOrigins: readonly string[];
  store: RoomStore;
  /** The user's current role in the project, or `null` when not a member. */
  checkMembership(userId: string, projectId: string): Promise<CollabRole | null>;
  /** The chain a room starts from when the store has nothing (latest Version or a preset); `null`: no such project. */
  initialChain(projectId: string): Promise<Chain | null>;
  /** Ceiling of one message (default 512 KiB); larger messages close that client with 1009. */
  maxPayloadBytes?: number;
  /** Messages per second per client (default 50, burst 100); over it: close 4429. */
  rateLimit?: { perSecond: number; burst: number };
  /** Connections one user may hold in one room (tabs, devices; default 8); more: close 4429. */
  maxConnectionsPerUser?: number;
  /** Connections in one room (default 256); more: close 4429. */
  maxConnectionsPerRoom?: number;
  /** Room limits and compaction (see `RoomOptions`). */
  room?: Pick<RoomOptions, "maxDocBytes" | "maxAwarenessBytes" | "compactEvery" | "compactAfterMs">;
  /** Interval of WebSocket pings that drop dead connections (ms, default 30 000; 0: none). */
  pingIntervalMs?: number;
  onEvent?: (event: RoomEvent | { type: "rejected"; projectId: string; code: number; reason: string }) => void;
}

export interface CollabServer {
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /** Base URL for a `WebsocketProvider` (`ws://host:port/collab`); the room name is the project id. */
  readonly url: string;
  /** The room of a project, when open (tests and diagnostics). */
  room(projectId: string): Room | undefined;
  /** Closes every connection (1001), compacts open rooms, stops listening. */
  close(): Promise<void>;
}

const PATH = /^\/collab\/([A-Za-z0-9_-]{1,128})$/;

/** Starts a collaboration server on `port` (0: a free one). */
export async function startCollabServer(
  options: CollabServerOptions & { port?: number; host?: string },
): Promise<CollabServer> {
  const http = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
  });
  const handler = createCollabHandler(options);
  http.on("upgrade", handler.upgrade);
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const host = options.host ?? "127.0.0.1";
  return {
    port,
    url: `ws://${host.includes(":") ? `[${host}]` : host}:${port}/collab`,
    room: handler.room,
    async close() {
      await handler.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The upgrade handler and room registry, to attach to an existing HTTP server. */
export function createCollabHandler(options: CollabServerOptions): {
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  room(projectId: string): Room | undefined;
  close(): Promise<void>;
} {
  const maxPayload = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const rate = options.rateLimit ?? { perSecond: 50, burst: 100 };
  const wss = new WebSocketServer({ noServer: true, maxPayload });
  const rooms = new Map<string, Promise<Room | null>>();
  const openRooms = new Map<string, Room>();
  const closing: Promise<void>[] = [];
  let shuttingDown = false;

  const emit: NonNullable<CollabServerOptions["onEvent"]> = (event) => options.onEvent?.(event);

  async function getRoom(projectId: string): Promise<Room | null> {
    let pending = rooms.get(projectId);
    if (!pending) {
      pending = Room.open(projectId, options.initialChain, {
        store: options.store,
        maxUpdateBytes: maxPayload,
        ...options.room,
        onEvent: emit,
      }).then((room) => {
        if (room) openRooms.set(projectId, room);
        else rooms.delete(projectId);
        return room;
      });
      pending.catch(() => rooms.delete(projectId));
      rooms.set(projectId, pending);
    }
    const room = await pending;
    if (room?.closed) {
      if (rooms.get(projectId) === pending) rooms.delete(projectId);
      return getRoom(projectId);
    }
    return room;
  }

  function releaseRoom(room: Room): void {
    if (openRooms.get(room.projectId) === room) {
      openRooms.delete(room.projectId);
      rooms.delete(room.projectId);
    }
    closing.push(room.close());
  }

  async function admit(ws: WebSocket, projectId: string, token: string | null): Promise<void> {
    const held: Uint8Array[] = [];
    const bucket = new TokenBucket(rate.perSecond, rate.burst);
    let room: Room | null = null;
    let connection: RoomConnection | null = null;
    let closed = false;
    const reject = (code: number, reason: string) => {
      closed = true;
      emit({ type: "rejected", projectId, code, reason });
      ws.close(code, reason);
    };
    ws.on("message", (data: RawData, isBinary: boolean) => {
      if (closed) return;
      if (!bucket.take()) {
        reject(CLOSE.RATE_LIMITED, "too many messages");
        return;
      }
      if (!isBinary) {
        reject(CLOSE.MALFORMED, "text frames are not part of the protocol");
        return;
      }
      const bytes = toBytes(data);
      if (room && connection) room.receive(connection, bytes);
      else held.push(bytes);
    });
    ws.on("close", () => {
      if (room && connection && room.leave(connection) && !shuttingDown) releaseRoom(room);
    });
    ws.on("error", () => ws.terminate());

    const verified = token ? verifyCollabToken(token, options.secret) : ({ ok: false, reason: "MALFORMED" } as const);
    if (!verified.ok) return reject(CLOSE.UNAUTHORIZED, `token refused: ${verified.reason}`);
    const claims = verified.claims;
    if (claims.projectId !== projectId) return reject(CLOSE.FORBIDDEN, "the token is for another project");
    let role: CollabRole | null;
    let opened: Room | null;
    try {
      role = await options.checkMembership(claims.userId, projectId);
      if (!role) return reject(CLOSE.FORBIDDEN, "not a member of this project");
      if (closed) return;
      opened = await getRoom(projectId);
    } catch (error) {
      return reject(CLOSE.INTERNAL_ERROR, `could not open the room: ${String(error)}`);
    }
    if (!opened) return reject(CLOSE.NOT_FOUND, "no such project");
    if (closed || shuttingDown) {
      if (opened.size === 0) releaseRoom(opened);
      return;
    }
    if (opened.connectionsOf(claims.userId) >= (options.maxConnectionsPerUser ?? 8)) {
      return reject(CLOSE.RATE_LIMITED, "too many connections of this user in this room");
    }
    if (opened.size >= (options.maxConnectionsPerRoom ?? 256)) {
      return reject(CLOSE.RATE_LIMITED, "the room is full");
    }
    // The lesser of the token's role and the current membership: a demoted editor is a viewer now.
    const effective: CollabRole = role === "editor" && claims.role === "editor" ? "editor" : "viewer";
    connection = {
      identity: claims,
      role: effective,
      send: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(message);
      },
      close: (code, reason) => {
        closed = true;
        ws.close(code, reason);
      },
    };
    room = opened;
    room.join(connection);
    for (const bytes of held.splice(0)) room.receive(connection, bytes);
  }

  let ping: ReturnType<typeof setInterval> | undefined;
  const pingMs = options.pingIntervalMs ?? 30_000;
  if (pingMs > 0) {
    const alive = new WeakSet<WebSocket>();
    wss.on("connection", (ws) => {
      alive.add(ws);
      ws.on("pong", () => alive.add(ws));
    });
    ping = setInterval(() => {
      for (const ws of wss.clients) {
        if (!alive.has(ws)) ws.terminate();
        else {
          alive.delete(ws);
          ws.ping();
        }
      }
    }, pingMs);
    ping.unref();
  }

  return {
    upgrade(req, socket, head) {
      const origin = req.headers.origin;
      if (!origin || !options.allowedOrigins.includes(origin)) return refuseUpgrade(socket, 403, "Forbidden");
      const url = new URL(req.url ?? "/", "http://collab.invalid");
      const match = PATH.exec(url.pathname);
      if (!match || shuttingDown) return refuseUpgrade(socket, 404, "Not Found");
      const projectId = match[1]!;
      wss.handleUpgrade(req, socket, head, (ws) => {
        wss.emit("connection", ws, req);
        void admit(ws, projectId, url.searchParams.get("token"));
      });
    },
    room: (projectId) => openRooms.get(projectId),
    async close() {
      shuttingDown = true;
      if (ping) clearInterval(ping);
      const open = await Promise.allSettled([...rooms.values()]);
      for (const result of open) if (result.status === "fulfilled" && result.value) releaseRoom(result.value);
      for (const ws of wss.clients) ws.terminate();
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
