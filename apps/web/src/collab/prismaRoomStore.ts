/**
 * A `RoomStore` on the `ChainDoc` table (one row per project, `yjsState` bytes).
 *
 * For now `append` merges the update into the stored state (`Y.mergeUpdates`) in a read-modify-write,
 * so the row always holds one merged update; it assumes one collaboration server owns a room at a
 * time. A later step can keep an append-only update log and compact it here instead.
 */
import type { Db } from "@comaster/db";
import * as Y from "yjs";
import type { RoomStore } from "./roomStore";

type ChainDocDb = Pick<Db, "chainDoc">;

const toBytes = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

export class PrismaRoomStore implements RoomStore {
  readonly #db: ChainDocDb;

  constructor(db: ChainDocDb) {
    this.#db = db;
  }

  async load(projectId: string): Promise<Uint8Array | null> {
    const row = await this.#db.chainDoc.findUnique({ where: { projectId }, select: { yjsState: true } });
    return row ? new Uint8Array(row.yjsState) : null;
  }

  async append(projectId: string, update: Uint8Array): Promise<void> {
    const stored = await this.load(projectId);
    await this.compact(projectId, stored ? Y.mergeUpdates([stored, update]) : update);
  }

  async compact(projectId: string, state: Uint8Array): Promise<void> {
    const yjsState = toBytes(state);
    await this.#db.chainDoc.upsert({ where: { projectId }, create: { projectId, yjsState }, update: { yjsState } });
  }
}
