import type { Db } from "./client";

export interface NewUser {
  username: string;
  displayName: string;
  /** Already hashed by the auth layer; the data layer never sees a password. */
  passwordHash: string;
}

/** Creates a user; a taken username fails with Prisma's unique violation (see `isUniqueViolation`). */
export function createUser(db: Db, user: NewUser) {
  return db.user.create({ data: user });
}
