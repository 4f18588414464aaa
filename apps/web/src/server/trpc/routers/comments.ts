import { MODULE_SPECS } from "@comaster/chain";
import type { Db } from "@comaster/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { presenceColor } from "../../../collab/presence";
import { authedProcedure, requireVersion, router } from "../init";
import { versionChain } from "./versions";

const id = z.string().min(1).max(64);
const text = z
  .string()
  .trim()
  .min(1, "Write something first.")
  .max(2000, "Keep a comment to 2000 characters or fewer.");
const seconds = z.number().finite().min(0, "A time cannot be before the start of the mix.");

/** A comment and the caller's membership of its project's class; NOT_FOUND for a non-member. */
async function requireComment(db: Db, userId: string, commentId: string) {
  const comment = await db.comment.findUnique({ where: { id: commentId }, select: { versionId: true } });
  if (!comment) throw new TRPCError({ code: "NOT_FOUND", message: "No such comment." });
  const { membership } = await requireVersion(db, userId, comment.versionId).catch(() => {
    throw new TRPCError({ code: "NOT_FOUND", message: "No such comment." });
  });
  const full = await db.comment.findUniqueOrThrow({ where: { id: commentId } });
  return { comment: full, membership };
}

type Row = {
  id: string;
  authorId: string;
  atSeconds: number;
  endSeconds: number | null;
  text: string;
  moduleId: string | null;
  resolved: boolean;
  parentId: string | null;
  createdAt: Date;
  author: { displayName: string };
};

export const commentsRouter = router({
  /**
   * The version's threads: top-level comments by time (then by when they were written), each with
   * its replies oldest first. Authors carry their presence colour; `canResolve` is the author's or
   * the teacher's.
   */
  list: authedProcedure.input(z.object({ versionId: id })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const { version, membership } = await requireVersion(db, ctx.user.id, input.versionId);
    const labels = new Map(versionChain(version).modules.map((m) => [m.id, MODULE_SPECS[m.type].label]));
    const rows: Row[] = await db.comment.findMany({
      where: { versionId: version.id },
      include: { author: { select: { displayName: true } } },
      orderBy: [{ atSeconds: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    });
    const view = (c: Row) => ({
      id: c.id,
      atSeconds: c.atSeconds,
      endSeconds: c.endSeconds,
      text: c.text,
      moduleId: c.moduleId,
      moduleLabel: c.moduleId === null ? null : (labels.get(c.moduleId) ?? null),
      resolved: c.resolved,
      createdAt: c.createdAt,
      author: { id: c.authorId, name: c.author.displayName, color: presenceColor(c.authorId) },
      canResolve: c.authorId === ctx.user.id || membership.role === "teacher",
    });
    const replies = new Map<string, Row[]>();
    for (const c of rows) if (c.parentId !== null) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c]);
    const byWritten = (a: Row, b: Row) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
    return rows
      .filter((c) => c.parentId === null)
      .map((c) => ({ ...view(c), replies: (replies.get(c.id) ?? []).sort(byWritten).map(view) }));
  }),

  /** A comment at a time or over a range of the version, optionally about one module of its chain. */
  create: authedProcedure
    .input(
      z
        .object({
          versionId: id,
          atSeconds: seconds,
          endSeconds: seconds.optional(),
          text,
          moduleId: z.string().min(1).max(64).optional(),
        })
        .refine((c) => c.endSeconds === undefined || c.endSeconds > c.atSeconds, {
          message: "The end of the range must come after its start.",
          path: ["endSeconds"],
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const { version } = await requireVersion(db, ctx.user.id, input.versionId);
      if (input.moduleId !== undefined && !versionChain(version).modules.some((m) => m.id === input.moduleId)) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The chain of version "${version.label}" has no module "${input.moduleId}"; pick one of its modules.`,
        });
      }
      const comment = await db.comment.create({
        data: {
          versionId: version.id,
          authorId: ctx.user.id,
          atSeconds: input.atSeconds,
          endSeconds: input.endSeconds ?? null,
          text: input.text,
          moduleId: input.moduleId ?? null,
        },
      });
      return { id: comment.id };
    }),

  /** A reply in a thread (to its top-level comment; threads are one level deep). */
  reply: authedProcedure.input(z.object({ commentId: id, text })).mutation(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const { comment } = await requireComment(db, ctx.user.id, input.commentId);
    if (comment.parentId !== null) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Reply to the thread's first comment, not to a reply." });
    }
    const reply = await db.comment.create({
      data: {
        versionId: comment.versionId,
        authorId: ctx.user.id,
        atSeconds: comment.atSeconds,
        endSeconds: comment.endSeconds,
        text: input.text,
        parentId: comment.id,
      },
    });
    return { id: reply.id };
  }),

  /** Marks a comment resolved (or reopens it): its author's or the teacher's to do. */
  setResolved: authedProcedure
    .input(z.object({ commentId: id, resolved: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const { comment, membership } = await requireComment(db, ctx.user.id, input.commentId);
      if (comment.authorId !== ctx.user.id && membership.role !== "teacher") {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: "Only the comment's author or the class's teacher can resolve it.",
        });
      }
      await db.comment.update({ where: { id: comment.id }, data: { resolved: input.resolved } });
      return { id: comment.id, resolved: input.resolved };
    }),
});
