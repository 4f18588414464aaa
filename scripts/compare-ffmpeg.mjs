#!/usr/bin/env node
// `pnpm compare:ffmpeg [FILE ...]`: Comaster's meter next to ffmpeg's ebur128 on the given files, or on
// generated songs rendered with FluidSynth when none are given. Prints a table of both and the deltas.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ffmpegEbur128 } from "./lib/ffmpeg.mjs";
import { generateSong } from "./lib/midi.mjs";
import { renderMidi } from "./lib/tools.mjs";

const BIN = fileURLToPath(new URL("../apps/render-worker/bin/comaster.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "comaster-compare-"));
try {
  let files = process.argv.slice(2);
  if (files.length === 0) {
    files = [
      [7, 44_100],
      [3, 48_000],
      [5, 96_000],
    ].map(([seed, rate]) => {
      const mid = join(dir, `song-${seed}.mid`);
      const wav = join(dir, `song-${seed}-${rate}.wav`);
      writeFileSync(mid, generateSong({ seconds: 60, seed }));
      renderMidi(mid, wav, rate);
      return wav;
    });
  }
  console.log(
    "file                              I ours   I ffmpeg   ΔI     TP ours  TP ffmpeg  ΔTP    LRA ours LRA ffmpeg",
  );
  let worstI = 0;
  let worstTp = 0;
  for (const file of files) {
    const r = spawnSync(process.execPath, [BIN, "analyze", file, "--json"], { encoding: "utf8" });
    if (r.status !== 0) {
      console.log(`${file}: ${r.stderr.trim()}`);
      continue;
    }
    const ours = JSON.parse(r.stdout);
    const ref = ffmpegEbur128(file);
    const dI = ours.integratedLufs - ref.integratedLufs;
    const dTp = ours.truePeakDbtp - ref.truePeakDbtp;
    worstI = Math.max(worstI, Math.abs(dI));
    worstTp = Math.max(worstTp, Math.abs(dTp));
    const f = (x, d = 2) => x.toFixed(d).padStart(8);
    const name = file.split("/").pop().slice(0, 32).padEnd(32);
    console.log(
      `${name} ${f(ours.integratedLufs)} ${f(ref.integratedLufs)} ${f(dI, 3)} ${f(ours.truePeakDbtp)} ${f(ref.truePeakDbtp)} ${f(dTp, 3)} ${f(ours.loudnessRangeLu)} ${f(ref.loudnessRangeLu)}`,
    );
  }
  console.log(
    `worst |ΔI| = ${worstI.toFixed(3)} LU (target ≤ 0.1), worst |ΔTP| = ${worstTp.toFixed(3)} dB (target ≤ 0.3)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
