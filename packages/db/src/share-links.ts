import type { Db } from "./client";
import { randomToken } from "./tokens";

/** 24 random bytes → 32 URL-safe characters (192 bits): a share link cannot be guessed. */
export const newShareToken = (): string => randomToken(24);

export function createShareLink(db: Db, exportId: string, expiresAt: Date | null = null) {
  return db.shareLink.create({ data: { exportId, token: newShareToken(), expiresAt } });
}

/** The share link for `token` if it is neither revoked nor expired at `now`. */
export function findActiveShareLink(db: Db, token: string, now = new Date()) {
  return db.shareLink.findFirst({
    where: { token, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    include: { export: true },
  });
}
