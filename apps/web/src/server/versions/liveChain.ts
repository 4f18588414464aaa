/**
 * The project's chain as everyone on the desk sees it: the collaboration server's stored Yjs state
 * (every acknowledged edit is in it before anyone else sees the edit), or — for a project nobody has
 * opened yet — the chain its room would start from. Saving a version snapshots this.
 */
import { type Chain, parseChain, validateDoc } from "@comaster/chain";
import type { Db } from "@comaster/db";
import * as Y from "yjs";
import { prismaInitialChain } from "../../collab/prismaCollabDeps";
import { PrismaRoomStore } from "../../collab/prismaRoomStore";

/** A stored chain that no longer validates (never expected: the server validates every update). */
export class LiveChainError extends Error {
  override name = "LiveChainError";
  constructor(
    readonly code: "NO_PROJECT" | "INVALID_CHAIN",
    message: string,
  ) {
    super(message);
  }
}

export async function liveChain(db: Db, projectId: string): Promise<Chain> {
  const state = await new PrismaRoomStore(db).load(projectId);
  if (state === null) {
    const initial = await prismaInitialChain(db)(projectId);
    if (!initial) throw new LiveChainError("NO_PROJECT", "No such project.");
    return initial;
  }
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    const result = validateDoc(doc);
    if (!result.ok) {
      const first = result.issues[0]?.message ?? "invalid chain";
      throw new LiveChainError("INVALID_CHAIN", `The project's chain cannot be read (${first}).`);
    }
    return result.chain;
  } finally {
    doc.destroy();
  }
}

/** The chain of a stored version (migrated and validated), or `LiveChainError` when its JSON is damaged. */
export function storedChain(version: { label: string; chainJson: string }): Chain {
  try {
    return parseChain(JSON.parse(version.chainJson));
  } catch (err) {
    throw new LiveChainError(
      "INVALID_CHAIN",
      `The saved chain of version "${version.label}" is damaged (${(err as Error).message}).`,
    );
  }
}
