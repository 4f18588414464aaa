/**
 * The collaboration server's lookups on the database: membership (the class's teacher and students
 * edit, a listener follows read-only) and the chain a new room starts from.
 */
import { type Chain, parseChain, presetChain } from "@comaster/chain";
import type { Db } from "@comaster/db";
import type { CollabRole } from "./collabToken";

type CollabDb = Pick<Db, "project" | "membership" | "version">;

/** The collaboration role of a class role: a listener follows the desk read-only, everyone else edits. */
export function collabRoleOf(classRole: string): CollabRole {
  return classRole === "listener" ? "viewer" : "editor";
}

/** `checkMembership` on the database: the member's `collabRoleOf`, or `null` for a non-member. */
export function prismaCheckMembership(db: CollabDb) {
  return async (userId: string, projectId: string): Promise<CollabRole | null> => {
    const project = await db.project.findUnique({ where: { id: projectId }, select: { classId: true } });
    if (!project) return null;
    const membership = await db.membership.findUnique({
      where: { userId_classId: { userId, classId: project.classId } },
      select: { role: true },
    });
    return membership ? collabRoleOf(membership.role) : null;
  };
}

/** `initialChain` on the database: the project's latest Version, else the streaming preset; `null` for no project. */
export function prismaInitialChain(db: CollabDb) {
  return async (projectId: string): Promise<Chain | null> => {
    const project = await db.project.findUnique({ where: { id: projectId }, select: { id: true } });
    if (!project) return null;
    const latest = await db.version.findFirst({
      where: { projectId },
      orderBy: { createdAt: "desc" },
      select: { chainJson: true },
    });
    return latest ? parseChain(JSON.parse(latest.chainJson)) : presetChain("streaming");
  };
}
