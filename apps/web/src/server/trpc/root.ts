import { createCallerFactory, router } from "./init";
import { classesRouter } from "./routers/classes";
import { collabRouter } from "./routers/collab";
import { commentsRouter } from "./routers/comments";
import { previewRouter } from "./routers/preview";
import { projectsRouter } from "./routers/projects";
import { rendersRouter } from "./routers/renders";
import { sharesRouter } from "./routers/shares";
import { versionsRouter } from "./routers/versions";

export const appRouter = router({
  classes: classesRouter,
  collab: collabRouter,
  comments: commentsRouter,
  preview: previewRouter,
  projects: projectsRouter,
  renders: rendersRouter,
  shares: sharesRouter,
  versions: versionsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
