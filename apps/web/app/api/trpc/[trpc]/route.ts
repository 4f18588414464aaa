import { services } from "../../../../src/server/services";
import { handleTrpcRequest } from "../../../../src/server/trpc/handler";

export const dynamic = "force-dynamic";

async function handle(request: Request) {
  return handleTrpcRequest(request, await services());
}

export { handle as GET, handle as POST };
