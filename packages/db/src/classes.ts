import type { Db } from "./client";
import { DbError, isUniqueViolation } from "./errors";
import { randomToken } from "./tokens";

export const ROLES = ["teacher", "student", "listener"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/** 12 random bytes → 16 URL-safe characters: unguessable, short enough to type. */
export const newInviteCode = (): string => randomToken(12);

/** Creates a class with a random invite code; `teacherId`, if given, joins it as its teacher. */
export async function createClass(db: Db, name: string, teacherId?: string) {
  return db.class.create({
    data: {
      name,
      inviteCode: newInviteCode(),
      ...(teacherId ? { memberships: { create: { userId: teacherId, role: "teacher" satisfies Role } } } : {}),
    },
  });
}

/** Joins the class whose invite code is `code`. A user is in a class at most once. */
export async function joinClass(db: Db, code: string, userId: string, role: Role = "student") {
  if (!isRole(role)) throw new DbError("INVALID_ROLE", `Unknown role "${String(role)}".`);
  const cls = await db.class.findUnique({ where: { inviteCode: code } });
  if (!cls) throw new DbError("NOT_FOUND", "No class has that invite code.");
  try {
    return await db.membership.create({ data: { userId, classId: cls.id, role } });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DbError("ALREADY_MEMBER", "You are already a member of this class.");
    throw e;
  }
}
