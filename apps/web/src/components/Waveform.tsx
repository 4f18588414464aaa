// A mix's overview as mirrored bars (SVG: crisp at any width, no canvas code, printable).

export function Waveform({ peaks, label, height = 72 }: { peaks: readonly number[]; label: string; height?: number }) {
  if (peaks.length === 0) return null;
  const mid = height / 2;
  const d = peaks
    .map((p, i) => {
      const h = Math.max(0.5, p * mid);
      return `M${i + 0.5} ${mid - h}V${mid + h}`;
    })
    .join("");
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${peaks.length} ${height}`}
      preserveAspectRatio="none"
      className="h-[72px] w-full rounded-md bg-zinc-950"
    >
      <path d={d} stroke="currentColor" strokeWidth={1} className="text-sky-400/80" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
