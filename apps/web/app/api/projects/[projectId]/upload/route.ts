import { services } from "../../../../../src/server/services";
import { uploadRoute } from "../../../../../src/server/uploads/uploadRoute";

export const dynamic = "force-dynamic";
// Streams up to 1 GB and analyses it: allow time (self-hosted Node server, no platform limit).
export const maxDuration = 900;

export async function POST(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return uploadRoute(request, projectId, await services());
}
