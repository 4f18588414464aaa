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
