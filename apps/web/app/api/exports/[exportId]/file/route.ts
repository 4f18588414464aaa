import { downloadExport } from "../../../../../src/server/files/download";
import { services } from "../../../../../src/server/services";
import { sessionUser } from "../../../../../src/server/trpc/handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ exportId: string }> }) {
  const s = await services();
  const { exportId } = await params;
  const inline = new URL(request.url).searchParams.has("inline");
  return downloadExport(s.db, s.store, await sessionUser(request.headers, s), exportId, inline);
}
