// The better-auth endpoint (/api/auth/*) with our sign-in limiter and Origin check in front.
import { clientAddress, isMutation, jsonError, originAllowed } from "../http";
import type { Auth } from "./auth";
import type { SignInLimiter } from "./signInLimiter";

export interface AuthRouteDeps {
  readonly auth: Auth;
  readonly limiter: SignInLimiter;
  readonly trustedOrigins: readonly string[];
}

export async function handleAuthRequest(request: Request, deps: AuthRouteDeps): Promise<Response> {
  if (isMutation(request.method) && !originAllowed(request, deps.trustedOrigins)) {
    return jsonError(403, "FORBIDDEN_ORIGIN", "This request did not come from a Comaster page.");
  }
  const path = new URL(request.url).pathname;
  if (request.method === "POST" && path.endsWith("/sign-in/username")) {
    return signIn(request, deps);
  }
  return deps.auth.handler(request);
}

async function signIn(request: Request, deps: AuthRouteDeps): Promise<Response> {
  const text = await request.text();
  if (text.length > 10_000) return jsonError(413, "TOO_LARGE", "The sign-in request is too large.");
  let username = "";
  try {
    const body = JSON.parse(text) as { username?: unknown };
    if (typeof body.username === "string") username = body.username;
  } catch {
    return jsonError(400, "BAD_REQUEST", "The sign-in request is not valid JSON.");
  }
  const address = clientAddress(request);
  const decision = deps.limiter.check(username, address);
  if (!decision.allowed) {
    const minutes = Math.ceil(decision.retryAfterSeconds / 60);
    return jsonError(
      429,
      "TOO_MANY_ATTEMPTS",
      `Too many sign-in attempts for this account. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      { "retry-after": String(decision.retryAfterSeconds) },
    );
  }
  const response = await deps.auth.handler(
    new Request(request.url, { method: "POST", headers: request.headers, body: text }),
  );
  if (response.status === 200) deps.limiter.record(username, address, true);
  else if (response.status === 401) deps.limiter.record(username, address, false);
  return response;
}
