/**
 * Collaboration tokens: the web app signs one per (user, project) when it opens the editor; the
 * collaboration server verifies it on the WebSocket upgrade. Format: `base64url(JSON payload)` `.`
 * `base64url(HMAC-SHA256(secret, first part))`. The payload carries the identity shown to others
 * (name, colour), so the server never trusts what a client claims about itself.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** What a collaborator may do in a room. */
export type CollabRole = "editor" | "viewer";

/** Who the token is for, and for which project. */
export interface CollabIdentity {
  userId: string;
  projectId: string;
  role: CollabRole;
  name: string;
  color: string;
}

/** The signed payload: the identity plus its expiry (seconds since the epoch). */
export interface CollabClaims extends CollabIdentity {
  exp: number;
}

const claimsSchema = z.object({
  userId: z.string().min(1),
  projectId: z.string().min(1),
  role: z.enum(["editor", "viewer"]),
  name: z.string().max(200),
  color: z.string().max(64),
  exp: z.number().int(),
});

/** Why `verifyCollabToken` refused a token. */
export type CollabTokenRefusal = "MALFORMED" | "BAD_SIGNATURE" | "EXPIRED";

/** The outcome of `verifyCollabToken`. */
export type VerifyCollabTokenResult = { ok: true; claims: CollabClaims } | { ok: false; reason: CollabTokenRefusal };

const mac = (body: string, secret: string): Buffer => createHmac("sha256", secret).update(body).digest();

/** A token for `identity`, valid for `ttlSeconds` from `nowMs`. */
export function signCollabToken(
  identity: CollabIdentity,
  secret: string,
  ttlSeconds: number,
  nowMs: number = Date.now(),
): string {
  if (secret.length < 16) throw new Error("the collaboration secret must have at least 16 characters");
  const claims: CollabClaims = { ...identity, exp: Math.floor(nowMs / 1000) + Math.floor(ttlSeconds) };
  const body = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${body}.${mac(body, secret).toString("base64url")}`;
}

/**
 * Checks the signature (constant-time), the payload's shape and the expiry. A token expires at
 * `exp` exactly (a token with `exp <= now` is refused).
 */
export function verifyCollabToken(token: string, secret: string, nowMs: number = Date.now()): VerifyCollabTokenResult {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "MALFORMED" };
  const [body, signature] = parts as [string, string];
  const expected = mac(body, secret);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "BAD_SIGNATURE" };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "MALFORMED" };
  }
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: "MALFORMED" };
  if (parsed.data.exp * 1000 <= nowMs) return { ok: false, reason: "EXPIRED" };
  return { ok: true, claims: parsed.data };
}
