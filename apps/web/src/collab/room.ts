/**
 * One collaboration room: the project's chain document on the server, its awareness, and the
 * connections in it. Every message of every connection runs through one queue per room, in order:
 * an update is validated (`UpdateGuard`: a knob turn read from its bytes, anything else on a shadow
 * copy), appended to the `RoomStore`, and only then relayed to the others — so whatever a peer has
 * received is stored, and a sync reply never carries an update that is not stored yet.
 */
import { type Chain, chainToDoc, UpdateGuard } from "@comaster/chain";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CLOSE } from "./closeCodes";
import type { CollabIdentity, CollabRole } from "./collabToken";
import {
  type AwarenessEntry,
  decodeAwarenessUpdate,
  decodeClientMessage,
  encodeAwareness,
  encodeAwarenessUpdate,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  isEmptyUpdate,
} from "./protocol";
import type { RoomStore } from "./roomStore";

/** A client in a room, as the room sees it (the socket stays with the server). */
export interface RoomConnection {
  readonly identity: CollabIdentity;
  /** The effective role: a viewer's document updates are dropped. */
  readonly role: CollabRole;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** What happened in a room, for logs and tests. */
export type RoomEvent =
  | { type: "refused"; projectId: string; userId: string; reason: string }
  | { type: "viewerUpdateDropped"; projectId: string; userId: string }
  | { type: "malformed"; projectId: string; userId: string; error: string }
  | { type: "storeFailed"; projectId: string; error: string }
  | { type: "compacted"; projectId: string; updates: number };

export interface RoomOptions {
  store: RoomStore;
  /** Ceiling of one update, passed to the `UpdateGuard`. */
  maxUpdateBytes: number;
  /** Ceiling of the whole document (default `MAX_DOC_BYTES`), passed to the `UpdateGuard`. */
  maxDocBytes?: number;
  /** Ceiling of one client's awareness state as JSON (default 8 KiB); larger: that client is closed. */
  maxAwarenessBytes?: number;
  /** Compact the store after this many appended updates (default 500). */
  compactEvery?: number;
  /** …or this long after the first update not yet compacted (ms, default 60 000; 0: only by count). */
  compactAfterMs?: number;
  onEvent?: (event: RoomEvent) => void;
}

/** Default ceiling of one awareness state (JSON): a cursor, a selected module, a name. */
export const MAX_AWARENESS_STATE_BYTES = 8 * 1024;

export class Room {
  readonly projectId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Each connection with the awareness client ids it controls. */
  readonly #connections = new Map<RoomConnection, Set<number>>();
  readonly #options: RoomOptions;
  /** Tries each update on a shadow copy before the document takes it. */
  readonly #guard: UpdateGuard;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  /** Updates appended since the last compaction. */
  #uncompacted = 0;
  #compactTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(projectId: string, doc: Y.Doc, options: RoomOptions) {
    this.projectId = projectId;
    this.doc = doc;
    this.#options = options;
    this.#guard = new UpdateGuard(doc, {
      maxBytes: options.maxUpdateBytes,
      ...(options.maxDocBytes !== undefined ? { maxDocBytes: options.maxDocBytes } : {}),
    });
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on("update", this.#onAwarenessUpdate);
  }

  /**
   * Opens the room from its stored state or, when there is none, from `initialChain` (stored at
   * once, so later updates always build on stored state). `null` when the project is unknown.
   */
  static async open(
    projectId: string,
    initialChain: (projectId: string) => Promise<Chain | null>,
    options: RoomOptions,
  ): Promise<Room | null> {
    const doc = new Y.Doc();
    const stored = await options.store.load(projectId);
    if (stored) Y.applyUpdate(doc, stored);
    else {
      const chain = await initialChain(projectId);
      if (!chain) return null;
      chainToDoc(chain, doc);
      await options.store.compact(projectId, Y.encodeStateAsUpdate(doc));
    }
    return new Room(projectId, doc, options);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get size(): number {
    return this.#connections.size;
  }

  /** How many connections `userId` has in the room (several tabs, devices). */
  connectionsOf(userId: string): number {
    let n = 0;
    for (const connection of this.#connections.keys()) if (connection.identity.userId === userId) n++;
    return n;
  }

  /** Adds a connection and starts the sync: the server's state vector, then everyone's awareness. */
  join(connection: RoomConnection): void {
    if (this.#closed) throw new Error(`room ${this.projectId} is closed`);
    this.#connections.set(connection, new Set());
    this.#enqueue(async () => {
      connection.send(encodeSyncStep1(this.doc));
      const states = this.awareness.getStates();
      if (states.size > 0) {
        connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])));
      }
    });
  }

  /** Removes a connection and its awareness states; returns whether the room is now empty. */
  leave(connection: RoomConnection): boolean {
    const ids = this.#connections.get(connection);
    if (!ids) return this.#connections.size === 0;
    this.#connections.delete(connection);
    if (ids.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
    return this.#connections.size === 0;
  }

  /** Queues one message of `connection`. */
  receive(connection: RoomConnection, data: Uint8Array): void {
    this.#enqueue(() => this.#handle(connection, data));
  }

  /**
   * Closes the room: closes the remaining connections with `code`, writes the merged state
   * (`RoomStore.compact`) after every queued message, and frees the document.
   */
  close(code: number = CLOSE.GOING_AWAY, reason = "the room is closing"): Promise<void> {
    if (this.#closed) return this.#queue;
    this.#closed = true;
    clearTimeout(this.#compactTimer);
    for (const connection of [...this.#connections.keys()]) {
      this.leave(connection);
      connection.close(code, reason);
    }
    this.#enqueue(async () => {
      try {
        await this.#options.store.compact(this.projectId, Y.encodeStateAsUpdate(this.doc));
      } catch (error) {
        this.#emit({ type: "storeFailed", projectId: this.projectId, error: String(error) });
      }
      this.awareness.off("update", this.#onAwarenessUpdate);
      this.awareness.destroy();
      this.#guard.destroy();
      this.doc.destroy();
    });
    return this.#queue;
  }

  /** Queues a compaction: the store's log folded into the document's state (after queued messages). */
  compact(): Promise<void> {
    if (this.#closed) return this.#queue;
    this.#enqueue(() => this.#compactNow());
    return this.#queue;
  }

  async #compactNow(): Promise<void> {
    clearTimeout(this.#compactTimer);
    this.#compactTimer = undefined;
    if (this.#uncompacted === 0 || this.#closed) return;
    const updates = this.#uncompacted;
    try {
      await this.#options.store.compact(this.projectId, Y.encodeStateAsUpdate(this.doc));
      this.#uncompacted -= updates;
      this.#emit({ type: "compacted", projectId: this.projectId, updates });
    } catch (error) {
      // The log still holds every update: nothing is lost, compaction is tried again later.
      this.#emit({ type: "storeFailed", projectId: this.projectId, error: String(error) });
    }
  }

  #afterAppend(): void {
    this.#uncompacted++;
    if (this.#uncompacted >= (this.#options.compactEvery ?? 500)) {
      this.#enqueue(() => this.#compactNow());
      return;
    }
    const afterMs = this.#options.compactAfterMs ?? 60_000;
    if (afterMs > 0 && this.#compactTimer === undefined) {
      this.#compactTimer = setTimeout(() => this.compact(), afterMs);
      this.#compactTimer.unref?.();
    }
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(task).catch((error: unknown) => {
      this.#emit({ type: "storeFailed", projectId: this.projectId, error: String(error) });
    });
  }

  #emit(event: RoomEvent): void {
    this.#options.onEvent?.(event);
  }

  async #handle(connection: RoomConnection, data: Uint8Array): Promise<void> {
    if (!this.#connections.has(connection)) return;
    let message: ReturnType<typeof decodeClientMessage>;
    try {
      message = decodeClientMessage(data);
    } catch (error) {
      this.#malformed(connection, String(error));
      return;
    }
    switch (message.kind) {
      case "syncStep1": {
        let reply: Uint8Array;
        try {
          reply = encodeSyncStep2(this.doc, message.stateVector);
        } catch (error) {
          this.#malformed(connection, `a state vector that does not decode: ${String(error)}`);
          return;
        }
        connection.send(reply);
        return;
      }
      case "update":
        return this.#update(connection, message.update);
      case "awareness":
        try {
          this.#awareness(connection, message.update);
        } catch (error) {
          this.#malformed(connection, String(error));
        }
        return;
      case "queryAwareness":
        connection.send(
          encodeAwareness(
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
          ),
        );
        return;
    }
  }

  #malformed(connection: RoomConnection, error: string): void {
    this.#emit({ type: "malformed", projectId: this.projectId, userId: connection.identity.userId, error });
    this.leave(connection);
    connection.close(CLOSE.MALFORMED, "malformed message");
  }

  async #update(connection: RoomConnection, update: Uint8Array): Promise<void> {
    if (isEmptyUpdate(update)) return;
    if (connection.role !== "editor") {
      this.#emit({ type: "viewerUpdateDropped", projectId: this.projectId, userId: connection.identity.userId });
      return;
    }
    const result = this.#guard.decide(update, connection);
    if (!result.applied) {
      if (result.reason === "MALFORMED") return this.#malformed(connection, result.error);
      this.#emit({
        type: "refused",
        projectId: this.projectId,
        userId: connection.identity.userId,
        reason: `${result.reason}: ${result.error}`,
      });
      if (result.reason === "TOO_LARGE") {
        this.leave(connection);
        connection.close(CLOSE.TOO_LARGE, "update too large");
        return;
      }
      // The client's document has diverged: send it the server's whole state so it holds everything
      // the room has (its own refused change stays local until it reloads).
      connection.send(encodeSyncStep2(this.doc));
      return;
    }
    try {
      const stored = this.#options.store.append(this.projectId, update);
      if (stored) await stored;
    } catch (error) {
      // The store lacks an update the document may hold already: drop the room so everyone reloads
      // from stored state.
      this.#emit({ type: "storeFailed", projectId: this.projectId, error: String(error) });
      for (const other of [...this.#connections.keys()]) {
        this.leave(other);
        other.close(CLOSE.INTERNAL_ERROR, "the room could not store an update");
      }
      this.#closed = true;
      clearTimeout(this.#compactTimer);
      return;
    }
    this.#afterAppend();
    const message = encodeUpdate(update);
    for (const other of this.#connections.keys()) if (other !== connection) other.send(message);
    // A knob turn, decided from its bytes, reaches the document (and the guard's shadow, when it
    // keeps one) only now that it is stored and sent: off the edit's path, in the same task
    // (`settle` commits it first).
    this.#guard.settle();
  }

  /** Relays an awareness update with each state's `user` replaced by the token's identity. */
  #awareness(connection: RoomConnection, update: Uint8Array): void {
    const owned = this.#connections.get(connection);
    if (!owned) return;
    const { userId, name, color } = connection.identity;
    const user = { id: userId, name, color, role: connection.role };
    const entries: AwarenessEntry[] = [];
    const maxBytes = this.#options.maxAwarenessBytes ?? MAX_AWARENESS_STATE_BYTES;
    for (const entry of decodeAwarenessUpdate(update)) {
      if (entry.state !== null && JSON.stringify(entry.state).length > maxBytes) {
        throw new Error(`an awareness state larger than ${maxBytes} bytes`);
      }
      if (!owned.has(entry.clientId) && this.#ownerOf(entry.clientId) !== undefined) continue; // someone else's id
      const state =
        entry.state === null
          ? null
          : typeof entry.state === "object" && !Array.isArray(entry.state)
            ? { ...entry.state, user }
            : { user };
      entries.push({ ...entry, state });
    }
    if (entries.length > 0) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessUpdate(entries), connection);
    }
  }

  #ownerOf(clientId: number): RoomConnection | undefined {
    for (const [connection, ids] of this.#connections) if (ids.has(clientId)) return connection;
    return undefined;
  }

  readonly #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const owned = this.#connections.get(origin as RoomConnection);
    if (owned) {
      for (const id of added) owned.add(id);
      for (const id of removed) owned.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const connection of this.#connections.keys()) connection.send(message);
  };
}
