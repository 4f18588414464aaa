"use client";
/** Who is in the room, and whether this tab is live. */
import type { CollabStatus, Peer } from "../../client/collab/useCollabRoom";

/** "Sam Kaur" → "SK", "ms_rivera" → "MS", "Ana" → "AN". */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s_.-]+/)
    .filter(Boolean);
  if (words.length === 0) return "?";
  const text = words.length === 1 ? words[0]!.slice(0, 2) : `${words[0]![0]}${words[1]![0]}`;
  return text.toUpperCase();
}

/** One avatar per person (several tabs of one person count once), this person first. */
export function PresenceBar({ peers }: { peers: readonly Peer[] }) {
  const people: Peer[] = [];
  for (const p of [...peers].sort((a, b) => Number(b.self) - Number(a.self))) {
    if (!people.some((q) => q.user.id === p.user.id)) people.push(p);
  }
  return (
    <ul data-testid="presence" aria-label="People on this desk" className="flex -space-x-1.5">
      {people.map((p) => (
        <li
          key={p.user.id}
          data-testid="avatar"
          data-user-name={p.user.name}
          title={p.user.name}
          className="flex h-7 w-7 items-center justify-center rounded-full text-[11px] font-semibold text-zinc-950 ring-2 ring-zinc-900"
          style={{ backgroundColor: p.user.color }}
        >
          <span aria-hidden="true">{initials(p.user.name)}</span>
          <span className="sr-only">
            {p.user.name}
            {p.self ? " (you)" : ""}
            {p.user.role === "viewer" ? ", listening" : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

const PILL: Record<CollabStatus, { text: string; dot: string; tone: string }> = {
  online: { text: "Live", dot: "bg-emerald-400", tone: "border-emerald-900 text-emerald-200" },
  connecting: { text: "Connecting\u2026", dot: "bg-sky-400 animate-pulse", tone: "border-zinc-700 text-zinc-300" },
  offline: {
    text: "Offline \u2014 your edits will merge when you reconnect",
    dot: "bg-amber-400",
    tone: "border-amber-900 text-amber-200",
  },
  refused: { text: "Not connected", dot: "bg-red-400", tone: "border-red-900 text-red-200" },
};

/** The connection state; "Live" only once the document has synced with the server. */
export function StatusPill({ status, synced }: { status: CollabStatus; synced: boolean }) {
  const shown: CollabStatus = status === "online" && !synced ? "connecting" : status;
  const pill = PILL[shown];
  return (
    <span
      role="status"
      data-testid="connection-status"
      data-status={shown}
      className={`inline-flex items-center gap-2 rounded-full border px-3 py-1 text-xs ${pill.tone}`}
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${pill.dot}`} />
      {pill.text}
    </span>
  );
}
