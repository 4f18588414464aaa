import { randomUUID } from "node:crypto";
import type { Db } from "./client";

export interface NewUser {
  username: string;
  displayName: string;
  /** Already hashed by the auth layer (`hashPassword`); the data layer never sees a password. */
  passwordHash: string;
}

/** The placeholder address of a user who signed up without e-mail (RFC 2606 reserves `.invalid`). */
export function placeholderEmail(username: string): string {
  return `${username.toLowerCase()}@users.comaster.invalid`;
}

/**
 * Creates a user with a credential account holding the password hash, the same rows better-auth's
 * username sign-up writes (so a user made here, e.g. by the seed or a teacher's bulk creation, can sign
 * in through it). A taken username fails with Prisma's unique violation (see `isUniqueViolation`).
 */
export function createUser(db: Db, user: NewUser) {
  const username = user.username.toLowerCase();
  // better-auth's credential account carries the user's id as its accountId.
  const id = randomUUID();
  return db.user.create({
    data: {
      id,
      username,
      displayUsername: user.username,
      displayName: user.displayName,
      email: placeholderEmail(username),
      accounts: { create: { providerId: "credential", accountId: id, password: user.passwordHash } },
    },
  });
}

/** The password hash of a user's credential account, or null. */
export async function credentialHash(db: Db, userId: string): Promise<string | null> {
  const account = await db.account.findFirst({ where: { userId, providerId: "credential" } });
  return account?.password ?? null;
}
