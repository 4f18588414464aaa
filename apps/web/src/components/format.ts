// Numbers as an audio engineer reads them: real minus signs, units, silence as −∞.

const minus = (v: number, digits: number) => {
  const text = Math.abs(v).toFixed(digits);
  return `${v < 0 && Number(text) !== 0 ? "−" : ""}${text}`;
};

export function db(value: number | null | undefined, unit: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return `−∞ ${unit}`;
  return `${minus(value, digits)} ${unit}`;
}

export function plain(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return minus(value, digits);
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export const FORMAT_LABELS: Record<string, string> = {
  wav16: "WAV 16-bit",
  wav24: "WAV 24-bit",
  wav32f: "WAV 32-bit float",
  flac: "FLAC",
  mp3: "MP3 320 kbps",
};

/** A position in a mix: `m:ss`, or `h:mm:ss` from an hour on (whole seconds, rounded down). */
export function formatTime(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A time or a range: `1:23`, `1:23–1:30`. */
export function formatTimeRange(atSeconds: number, endSeconds?: number | null): string {
  return endSeconds === null || endSeconds === undefined
    ? formatTime(atSeconds)
    : `${formatTime(atSeconds)}\u2013${formatTime(endSeconds)}`;
}

/** How long ago `then` was, as a list shows it: `just now`, `5 min ago`, `3 h ago`, `2 days ago`, then the date. */
export function relativeTime(then: Date | string, now: Date = new Date()): string {
  const date = typeof then === "string" ? new Date(then) : then;
  const s = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  const days = Math.floor(s / 86_400);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return date.toISOString().slice(0, 10);
}
