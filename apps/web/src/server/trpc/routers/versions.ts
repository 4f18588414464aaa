import { type Chain, describeChanges } from "@comaster/chain";
import type { Db } from "@comaster/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { LiveChainError, liveChain, storedChain } from "../../versions/liveChain";
import { authedProcedure, requireEditor, requireProject, requireVersion, router } from "../init";

const id = z.string().min(1).max(64);

/** `LiveChainError` as the tRPC error the page shows. */
export function chainError(err: unknown): never {
  if (err instanceof LiveChainError) {
    throw new TRPCError({
      code: err.code === "NO_PROJECT" ? "NOT_FOUND" : "INTERNAL_SERVER_ERROR",
      message: err.message,
      cause: err,
    });
  }
  throw err;
}

/** The chain of a saved version, or the tRPC error the page shows for a damaged one. */
export function versionChain(version: { label: string; chainJson: string }): Chain {
  try {
    return storedChain(version);
  } catch (err) {
    chainError(err);
  }
}

/** A saved version of this project and its chain; NOT_FOUND for a version of another project. */
export async function projectVersionChain(db: Db, projectId: string, versionId: string) {
  const version = await db.version.findFirst({ where: { id: versionId, projectId } });
  if (!version) throw new TRPCError({ code: "NOT_FOUND", message: "That version is not in this project." });
  return { version, chain: versionChain(version) };
}

export const versionsRouter = router({
  /** The project's versions, newest first. */
  list: authedProcedure.input(z.object({ projectId: id })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    await requireProject(db, ctx.user.id, input.projectId);
    const versions = await db.version.findMany({
      where: { projectId: input.projectId },
      include: { author: { select: { displayName: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return versions.map((v) => ({
      id: v.id,
      label: v.label,
      authorName: v.author.displayName,
      createdAt: v.createdAt,
      parentId: v.parentId,
    }));
  }),

  /** One version with its chain (for restoring it or reading its modules). */
  get: authedProcedure.input(z.object({ versionId: id })).query(async ({ ctx, input }) => {
    const { version } = await requireVersion(ctx.services.db, ctx.user.id, input.versionId);
    const chain = versionChain(version);
    return { id: version.id, projectId: version.projectId, label: version.label, createdAt: version.createdAt, chain };
  }),

  /**
   * Saves the chain everyone sees now (the collaboration server's stored state) as a new version
   * whose parent is the newest one. Editors only.
   */
  save: authedProcedure
    .input(
      z.object({
        projectId: id,
        label: z
          .string()
          .trim()
          .min(1, "Give the version a label.")
          .max(80, "Keep the label to 80 characters or fewer."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const { membership } = await requireProject(db, ctx.user.id, input.projectId);
      requireEditor(membership);
      const chain = await liveChain(db, input.projectId).catch(chainError);
      const parent = await db.version.findFirst({
        where: { projectId: input.projectId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true },
      });
      const version = await db.version.create({
        data: {
          projectId: input.projectId,
          chainJson: JSON.stringify(chain),
          label: input.label,
          authorId: ctx.user.id,
          parentId: parent?.id ?? null,
        },
      });
      return { id: version.id, label: version.label, createdAt: version.createdAt, parentId: version.parentId };
    }),

  /** What changed from one version to another of the same project, as changes and as lines. */
  diff: authedProcedure.input(z.object({ fromVersionId: id, toVersionId: id })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const from = await requireVersion(db, ctx.user.id, input.fromVersionId);
    const to = await requireVersion(db, ctx.user.id, input.toVersionId);
    if (from.version.projectId !== to.version.projectId) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Compare two versions of the same project." });
    }
    return describeChanges(versionChain(from.version), versionChain(to.version));
  }),
});
