// Small HTTP rules every route shares: the Origin check on mutations, the client's address, JSON errors.

/**
 * True when a state-changing request comes from one of our own pages. Browsers send `Origin` on every
 * POST/PUT/PATCH/DELETE (and on fetches); a request without it is refused too, so a form on another
 * site cannot post to us (CSRF), whatever the cookies' SameSite setting.
 */
export function originAllowed(request: Request, trustedOrigins: readonly string[]): boolean {
  const origin = request.headers.get("origin");
  if (!origin || origin === "null") return false;
  return trustedOrigins.includes(origin.replace(/\/+$/, ""));
}

export function isMutation(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}

/**
 * The client's address. `next start` appends the socket's address to X-Forwarded-For; the last entry
 * is the one our own server (or the proxy in front of it) wrote, earlier entries are the client's word.
 */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  const last = forwarded?.split(",").at(-1)?.trim();
  return last || request.headers.get("x-real-ip") || "unknown";
}

export function jsonError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return Response.json({ error: { code, message } }, { status, headers });
}
