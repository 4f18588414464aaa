import { downloadAsset } from "../../../../../src/server/files/assetFile";
import { services } from "../../../../../src/server/services";
import { sessionUser } from "../../../../../src/server/trpc/handler";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ assetId: string }> }) {
  const s = await services();
  const { assetId } = await params;
  return downloadAsset(s.db, s.store, await sessionUser(request.headers, s), assetId, request.headers.get("range"));
}
