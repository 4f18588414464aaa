import { randomBytes } from "node:crypto";

/** A URL-safe token with `bytes` bytes of entropy from the OS CSPRNG (unguessable, not sequential). */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString("base64url");
}
