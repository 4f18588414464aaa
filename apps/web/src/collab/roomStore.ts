/**
 * Where a room's Yjs state lives between server processes. The server appends every accepted
 * update before it acknowledges (broadcasts) it, and compacts to one state when a room closes.
 */
import * as Y from "yjs";

/** Persistence of a room's Yjs document, per project. */
export interface RoomStore {
  /** The stored state (a Yjs update), or `null` when the project has none yet. */
  load(projectId: string): Promise<Uint8Array | null>;
  /**
   * Durably adds one accepted update; the server acknowledges (relays) the update only after this
   * returns or, when it returns a promise, after that resolves. A synchronous store saves the room a
   * trip through the event loop on every edit.
   */
  append(projectId: string, update: Uint8Array): void | Promise<void>;
  /** Replaces everything stored for the project with `state` (a full-state update). */
  compact(projectId: string, state: Uint8Array): Promise<void>;
}

/** A stored state and the log after it as one update (`null`: nothing stored). */
export function mergeStored(parts: readonly Uint8Array[]): Uint8Array | null {
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : Y.mergeUpdates([...parts]);
}

/** A `RoomStore` in memory: tests, and a server restarted within one process. Keeps the update log. */
export class MemoryRoomStore implements RoomStore {
  readonly #log = new Map<string, Uint8Array[]>();

  async load(projectId: string): Promise<Uint8Array | null> {
    return mergeStored(this.#log.get(projectId) ?? []);
  }

  async append(projectId: string, update: Uint8Array): Promise<void> {
    const updates = this.#log.get(projectId) ?? [];
    updates.push(update.slice());
    this.#log.set(projectId, updates);
  }

  async compact(projectId: string, state: Uint8Array): Promise<void> {
    this.#log.set(projectId, [state.slice()]);
  }

  /** How many entries the project's log holds (for tests). */
  logLength(projectId: string): number {
    return this.#log.get(projectId)?.length ?? 0;
  }
}
