// ffmpeg's ebur128 filter as the independent reference meter.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Measures a file with `ebur128=peak=true`. The figures come from the filter's per-frame metadata
 * (three decimals) of the last frame, not the one-decimal summary.
 * @param {string} file
 * @returns {{ integratedLufs: number, loudnessRangeLu: number, truePeakDbtp: number }}
 */
export function ffmpegEbur128(file) {
  const dir = mkdtempSync(join(tmpdir(), "comaster-ebur128-"));
  try {
    const meta = join(dir, "meta.txt");
    const r = spawnSync(
      "ffmpeg",
      [
        "-hide_banner",
        "-nostats",
        "-i",
        file,
        "-af",
        `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${meta}`,
        "-f",
        "null",
        "-",
      ],
      { encoding: "utf8", maxBuffer: 64 << 20 },
    );
    if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}: ${r.stderr.split("\n").slice(-3).join(" ")}`);
    const text = readFileSync(meta, "utf8");
    const last = (key) => {
      const i = text.lastIndexOf(`lavfi.r128.${key}=`);
      if (i < 0) throw new Error(`ffmpeg metadata lacks ${key}`);
      return Number(text.slice(i + key.length + 12, text.indexOf("\n", i)));
    };
    return {
      integratedLufs: last("I"),
      loudnessRangeLu: last("LRA"),
      truePeakDbtp: 20 * Math.log10(last("true_peak")),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Times the plain `ebur128=peak=true` analysis (decode included), as a user would run it.
 * @param {string} file @returns {number} seconds of wall time
 */
export function timeFfmpegEbur128(file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    "ffmpeg",
    ["-hide_banner", "-nostats", "-i", file, "-af", "ebur128=peak=true", "-f", "null", "-"],
    {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`ffmpeg failed on ${file}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
