import { deleteProject } from "@comaster/db";
import { z } from "zod";
import { authedProcedure, requireMembership, requireProject, router } from "../init";
import { assetView, jobView } from "./views";

const projectId = z.object({ projectId: z.string().min(1).max(64) });

export const projectsRouter = router({
  create: authedProcedure
    .input(
      z.object({
        classId: z.string().min(1).max(64),
        name: z.string().trim().min(1, "Give the project a name.").max(120, "Keep the name under 120 characters."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireMembership(ctx.services.db, ctx.user.id, input.classId);
      const project = await ctx.services.db.project.create({ data: { classId: input.classId, name: input.name } });
      return { id: project.id };
    }),

  /** A project with its mixes (figures, waveform) and its renders (status, progress, export, links). */
  get: authedProcedure.input(projectId).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const { project, membership } = await requireProject(db, ctx.user.id, input.projectId);
    const [cls, assets, jobs] = await Promise.all([
      db.class.findUniqueOrThrow({ where: { id: project.classId }, select: { id: true, name: true } }),
      db.asset.findMany({ where: { projectId: project.id }, orderBy: { createdAt: "desc" } }),
      db.renderJob.findMany({
        where: { version: { projectId: project.id } },
        include: { export: { include: { shareLinks: { orderBy: { createdAt: "desc" } } } }, version: true },
        orderBy: { createdAt: "desc" },
        take: 50,
      }),
    ]);
    return {
      id: project.id,
      name: project.name,
      class: cls,
      role: membership.role as "teacher" | "student",
      assets: assets.map(assetView),
      renders: jobs.map((j) => jobView(j)),
    };
  }),

  /** The renders alone, for the live progress poll. */
  renders: authedProcedure.input(projectId).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    await requireProject(db, ctx.user.id, input.projectId);
    const jobs = await db.renderJob.findMany({
      where: { version: { projectId: input.projectId } },
      include: { export: { include: { shareLinks: { orderBy: { createdAt: "desc" } } } }, version: true },
      orderBy: { createdAt: "desc" },
      take: 50,
    });
    return jobs.map((j) => jobView(j));
  }),

  delete: authedProcedure.input(projectId).mutation(async ({ ctx, input }) => {
    const { db, store } = ctx.services;
    await requireProject(db, ctx.user.id, input.projectId, "teacher");
    const { orphanedStorageKeys } = await deleteProject(db, input.projectId);
    // Rows first, then the files no row references any more; a failed delete leaves a stray file,
    // never a row pointing nowhere.
    await Promise.allSettled(orphanedStorageKeys.map((key) => store.delete(key)));
    return { deleted: true };
  }),
});
