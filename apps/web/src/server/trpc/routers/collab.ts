import { z } from "zod";
import { signCollabToken } from "../../../collab/collabToken";
import { presenceColor } from "../../../collab/presence";
import { collabRoleOf } from "../../../collab/prismaCollabDeps";
import { authedProcedure, requireProject, router } from "../init";

/** Lifetime of a collaboration token: long enough to connect, short enough to be worthless when leaked. */
export const COLLAB_TOKEN_TTL_SECONDS = 120;

export const collabRouter = router({
  /**
   * A short-lived signed token for the project's room, with the identity the others will see (name
   * and colour from the account, never from the client) and the role (a listener is read-only).
   * The page asks again whenever it (re)connects.
   */
  session: authedProcedure
    .input(z.object({ projectId: z.string().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      const { membership } = await requireProject(ctx.services.db, ctx.user.id, input.projectId);
      const role = collabRoleOf(membership.role);
      const color = presenceColor(ctx.user.id);
      const identity = { userId: ctx.user.id, projectId: input.projectId, role, name: ctx.user.displayName, color };
      const { env } = ctx.services;
      return {
        token: signCollabToken(identity, env.collabSecret, COLLAB_TOKEN_TTL_SECONDS),
        /** WebSocket base for the client; null: the page's own host on `port`. */
        url: env.collabUrl,
        port: env.collabPort,
        role,
        user: { id: ctx.user.id, name: ctx.user.displayName, color },
      };
    }),
});
