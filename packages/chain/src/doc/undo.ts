import * as Y from "yjs";
import { LOCAL_ORIGIN, modulesOf } from "./chainDoc.ts";

/** Options of `createUndoManager`. */
export interface ChainUndoOptions {
  /** Edits closer together than this (ms) become one undo step, e.g. a slider drag (default 500). */
  captureTimeout?: number;
}

/**
 * A per-person undo manager: it tracks the module list but only transactions whose origin is
 * `origin` (the one this person's edits pass to the edit operations), so undo never reverts
 * another person's edit. A parameter another person set after this person is left as they set it
 * (Yjs never overwrites remote map changes on undo). An undo is not checked locally: like any
 * concurrent edit it can make the merged chain invalid, and the server then refuses it.
 */
export function createUndoManager(
  doc: Y.Doc,
  origin: unknown = LOCAL_ORIGIN,
  options: ChainUndoOptions = {},
): Y.UndoManager {
  return new Y.UndoManager(modulesOf(doc), {
    trackedOrigins: new Set([origin]),
    captureTimeout: options.captureTimeout ?? 500,
  });
}
