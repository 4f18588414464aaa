/** A data-layer failure a caller can branch on by `code`; the message is safe to show a user. */
export class DbError extends Error {
  override name = "DbError";
  constructor(
    readonly code: "NOT_FOUND" | "ALREADY_MEMBER" | "INVALID_ROLE",
    message: string,
  ) {
    super(message);
  }
}

/** True for Prisma's unique-constraint violation (P2002), whichever database raised it. */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}
