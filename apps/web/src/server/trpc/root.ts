import { createCallerFactory, router } from "./init";
import { classesRouter } from "./routers/classes";
import { collabRouter } from "./routers/collab";
import { projectsRouter } from "./routers/projects";
import { rendersRouter } from "./routers/renders";
import { sharesRouter } from "./routers/shares";

export const appRouter = router({
  classes: classesRouter,
  collab: collabRouter,
  projects: projectsRouter,
  renders: rendersRouter,
  shares: sharesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
