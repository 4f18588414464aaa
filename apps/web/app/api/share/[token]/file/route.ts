import { downloadShared } from "../../../../../src/server/files/download";
import { services } from "../../../../../src/server/services";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const s = await services();
  const { token } = await params;
  const inline = new URL(request.url).searchParams.has("inline");
  return downloadShared(s.db, s.store, token, inline);
}
