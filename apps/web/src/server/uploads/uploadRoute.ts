// POST /api/projects/:id/upload — the caller must be signed in, a member of the project's class, and
// posting from one of our pages; then the upload module streams, checks, analyses and stores the file.
import { isMutation, jsonError, originAllowed } from "../http";
import type { Services } from "../services";
import { sessionUser } from "../trpc/handler";
import { handleUpload } from "./handleUpload";

export async function uploadRoute(request: Request, projectId: string, s: Services): Promise<Response> {
  if (isMutation(request.method) && !originAllowed(request, s.env.trustedOrigins)) {
    return jsonError(403, "FORBIDDEN_ORIGIN", "This request did not come from a Comaster page.");
  }
  const user = await sessionUser(request.headers, s);
  if (!user) return jsonError(401, "UNAUTHORIZED", "Please sign in again, then upload.");
  const project = await s.db.project.findUnique({ where: { id: projectId } });
  const member =
    project &&
    (await s.db.membership.findUnique({ where: { userId_classId: { userId: user.id, classId: project.classId } } }));
  if (!project || !member) return jsonError(404, "NOT_FOUND", "No such project.");
  return handleUpload(request, {
    db: s.db,
    store: s.store,
    projectId,
    userId: user.id,
    tmpDir: s.env.tmpDir,
    onInternalError: (err) => console.error("upload:", err),
  });
}
