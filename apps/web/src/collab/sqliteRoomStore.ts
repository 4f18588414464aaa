/**
 * The `RoomStore` of the collaboration server on SQLite: the same `ChainDoc` and `ChainDocUpdate`
 * tables as `PrismaRoomStore`, written synchronously through `SqliteChainDocLog` (packages/db), so an
 * accepted update is committed and relayed in the same turn of the event loop (see that file for why).
 */
import type { SqliteChainDocLog } from "@comaster/db/chain-doc-log";
import { mergeStored, type RoomStore } from "./roomStore";

export class SqliteRoomStore implements RoomStore {
  readonly #log: SqliteChainDocLog;

  constructor(log: SqliteChainDocLog) {
    this.#log = log;
  }

  async load(projectId: string): Promise<Uint8Array | null> {
    return mergeStored(this.#log.load(projectId));
  }

  append(projectId: string, update: Uint8Array): void {
    this.#log.append(projectId, update);
  }

  async compact(projectId: string, state: Uint8Array): Promise<void> {
    this.#log.compact(projectId, state);
  }

  /** How many updates wait in the project's log (tests, diagnostics). */
  async logLength(projectId: string): Promise<number> {
    return this.#log.logLength(projectId);
  }
}
