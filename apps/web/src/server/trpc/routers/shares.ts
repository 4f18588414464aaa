import { createShareLink, findActiveShareLink } from "@comaster/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, publicProcedure, requireProject, router } from "../init";

const DAY_MS = 24 * 60 * 60 * 1000;

export const sharesRouter = router({
  create: authedProcedure
    .input(
      z.object({
        exportId: z.string().min(1).max(64),
        /** null: until revoked. */
        expiresInDays: z.number().int().min(1).max(365).nullable(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { db, env } = ctx.services;
      const exp = await db.export.findUnique({
        where: { id: input.exportId },
        include: { job: { include: { version: true } } },
      });
      if (!exp) throw new TRPCError({ code: "NOT_FOUND", message: "No such export." });
      await requireProject(db, ctx.user.id, exp.job.version.projectId);
      const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * DAY_MS);
      const link = await createShareLink(db, exp.id, expiresAt);
      return { id: link.id, token: link.token, url: `${env.baseUrl}/s/${link.token}`, expiresAt };
    }),

  revoke: authedProcedure
    .input(z.object({ shareLinkId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const link = await db.shareLink.findUnique({
        where: { id: input.shareLinkId },
        include: { export: { include: { job: { include: { version: true } } } } },
      });
      if (!link) throw new TRPCError({ code: "NOT_FOUND", message: "No such share link." });
      await requireProject(db, ctx.user.id, link.export.job.version.projectId);
      await db.shareLink.update({ where: { id: link.id }, data: { revokedAt: link.revokedAt ?? new Date() } });
      return { revoked: true };
    }),

  /** The public page's data: no login; NOT_FOUND once the link is revoked or expired. */
  view: publicProcedure.input(z.object({ token: z.string().min(1).max(128) })).query(async ({ ctx, input }) => {
    const found = await activeShare(ctx.services.db, input.token);
    return found;
  }),
});

/** What a share link shows, or NOT_FOUND with words a listener understands. */
export async function activeShare(db: Parameters<typeof findActiveShareLink>[0], token: string) {
  const link = await findActiveShareLink(db, token);
  if (!link) {
    throw new TRPCError({ code: "NOT_FOUND", message: "This link has expired or was turned off by its owner." });
  }
  const job = await db.renderJob.findUniqueOrThrow({
    where: { id: link.export.jobId },
    include: { version: { include: { project: true } } },
  });
  return {
    projectName: job.version.project.name,
    versionLabel: job.version.label,
    format: link.export.format,
    byteSize: link.export.byteSize,
    integratedLufs: link.export.integratedLufs,
    truePeakDbtp: link.export.truePeakDbtp,
    targetLufs: job.targetLufs,
    createdAt: link.export.createdAt,
    expiresAt: link.expiresAt,
    fileUrl: `/api/share/${encodeURIComponent(token)}/file`,
  };
}
