/**
 * How a collaborator appears to the others: a colour picked from the user id (the same colour in
 * every room and session) from a palette readable on the desk's dark background.
 */
export const PRESENCE_COLORS = [
  "#f97316",
  "#22c55e",
  "#3b82f6",
  "#e11d48",
  "#a855f7",
  "#eab308",
  "#14b8a6",
  "#ec4899",
  "#84cc16",
  "#06b6d4",
  "#f43f5e",
  "#8b5cf6",
] as const;

/** A stable colour for `userId` (FNV-1a over its characters). */
export function presenceColor(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PRESENCE_COLORS[hash % PRESENCE_COLORS.length]!;
}
