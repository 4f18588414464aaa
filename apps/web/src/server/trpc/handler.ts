// The tRPC endpoint: Origin check on mutations, bounded batches, the session as context.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { isMutation, jsonError, originAllowed } from "../http";
import type { Services } from "../services";
import type { SessionUser } from "./init";
import { appRouter } from "./root";

export const MAX_BATCH_SIZE = 16;

export async function handleTrpcRequest(request: Request, services: Services): Promise<Response> {
  if (isMutation(request.method) && !originAllowed(request, services.env.trustedOrigins)) {
    return jsonError(403, "FORBIDDEN_ORIGIN", "This request did not come from a Comaster page.");
  }
  const user = await sessionUser(request.headers, services);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => ({ services, user }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"}:`, error.cause ?? error);
    },
  });
}

export async function sessionUser(headers: Headers, services: Pick<Services, "auth">): Promise<SessionUser | null> {
  const session = await services.auth.api.getSession({ headers });
  if (!session) return null;
  const u = session.user as { id: string; username?: string | null; name: string };
  return { id: u.id, username: u.username ?? "", displayName: u.name };
}
