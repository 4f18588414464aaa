import { handleAuthRequest } from "../../../../src/server/auth/authRoute";
import { services } from "../../../../src/server/services";

export const dynamic = "force-dynamic";

async function handle(request: Request) {
  const s = await services();
  return handleAuthRequest(request, { auth: s.auth, limiter: s.limiter, trustedOrigins: s.env.trustedOrigins });
}

export { handle as GET, handle as POST };
