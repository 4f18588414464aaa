#!/usr/bin/env node
// `pnpm bench`: speed of Comaster's analysis against ffmpeg's ebur128=peak=true on the same file,
// in the same run. Prints figures; asserts nothing (targets are read by people, not by unit tests).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeFfmpegEbur128 } from "./lib/ffmpeg.mjs";
import { generateSong } from "./lib/midi.mjs";
import { renderMidi, which } from "./lib/tools.mjs";

const BIN = fileURLToPath(new URL("../apps/render-worker/bin/comaster.js", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = 240;

for (const tool of ["ffmpeg", "fluidsynth"]) {
  if (!which(tool)) {
    console.error(`bench: needs ${tool} (apt-get install ffmpeg fluidsynth fluid-soundfont-gm)`);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), "comaster-bench-"));
try {
  const mid = join(dir, "song.mid");
  const wav = join(dir, "song.wav");
  writeFileSync(mid, generateSong({ seconds: SECONDS, seed: 11 }));
  renderMidi(mid, wav, 44_100);
  const bytes = statSync(wav).size;
  const audioSeconds = (bytes - 44) / 4 / 44_100;
  console.log(
    `file: generated song, ${audioSeconds.toFixed(1)} s, 44.1 kHz stereo 16-bit WAV (${(bytes / 1e6).toFixed(1)} MB)`,
  );

  const ours = [];
  let maxRssKb = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [BIN, "analyze", wav, "--json"], {
      encoding: "utf8",
      env: { ...process.env, COMASTER_REPORT_MAXRSS: "1" },
    });
    ours.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0) throw new Error(`comaster failed: ${r.stderr}`);
    maxRssKb = Math.max(maxRssKb, Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0));
  }
  const ff = [];
  for (let i = 0; i < RUNS; i++) ff.push(timeFfmpegEbur128(wav));

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (name, secs) =>
    console.log(
      `${name.padEnd(44)} ${secs.toFixed(3).padStart(7)} s  ${(audioSeconds / secs).toFixed(0).padStart(5)}x real time`,
    );
  console.log(`\nanalysis (median of ${RUNS} runs, wall time incl. process start and decode)`);
  row("comaster analyze --json", median(ours));
  row("ffmpeg -af ebur128=peak=true", median(ff));
  console.log(`ratio: comaster is ${(median(ff) / median(ours)).toFixed(2)}x the speed of ffmpeg (target > 1)`);
  console.log(`comaster peak memory: ${(maxRssKb / 1024).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
