#!/usr/bin/env node
// `pnpm bench [analyze|master|memory|workers|web|collab|preview]`: Comaster against ffmpeg on the same generated files, in the
// same run. Prints figures and the targets beside them; asserts nothing (benchmarks are read by
// people, not enforced by timed unit tests).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ffmpegEbur128, timeFfmpegEbur128 } from "./lib/ffmpeg.mjs";
import { generateSong } from "./lib/midi.mjs";
import { renderMidi, which } from "./lib/tools.mjs";
import { musicLike, writeWav24 } from "./lib/wavWriter.mjs";

const BIN = fileURLToPath(new URL("../apps/render-worker/bin/comaster.js", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = process.argv[2];
if (only === "workers") {
  await import("./bench-workers.mjs"); // render-job throughput with 1, 2 and 4 worker processes (PostgreSQL)
  process.exit(0);
}
if (only === "collab") {
  await import("./bench-collab.mjs"); // collaboration server against the stock y-websocket server: latency, memory
  process.exit(process.exitCode ?? 0);
}
if (only === "preview") {
  await import("./bench-preview.mjs"); // worklet + engine bundle sizes, play to first sound on a 10-minute WAV
  process.exit(process.exitCode ?? 0);
}
if (only === "web") {
  await import("./bench-web.mjs"); // first-load JS per route of the production build, then the upload bench
  process.exit(process.exitCode ?? 0);
}

for (const tool of ["ffmpeg", "fluidsynth"]) {
  if (!which(tool)) {
    console.error(`bench: needs ${tool} (apt-get install ffmpeg fluidsynth fluid-soundfont-gm)`);
    process.exit(2);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};
const row = (name, secs, audio) =>
  console.log(
    `  ${name.padEnd(46)} ${secs.toFixed(3).padStart(8)} s  ${(audio / secs).toFixed(0).padStart(5)}x real time`,
  );

/** Runs the CLI, returns wall seconds and peak RSS (MB). */
function comaster(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, COMASTER_REPORT_MAXRSS: "1" },
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`comaster ${args[0]} failed: ${r.stderr}`);
  return { seconds, rssMb: Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024, stdout: r.stdout };
}

function ffmpeg(args) {
  const r = spawnSync("ffmpeg", ["-hide_banner", "-nostats", "-y", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr.split("\n").slice(-4).join("\n")}`);
  return r.stderr;
}

const dir = mkdtempSync(join(tmpdir(), "comaster-bench-"));
try {
  const mid = join(dir, "song.mid");
  const wav = join(dir, "song.wav");
  writeFileSync(mid, generateSong({ seconds: 240, seed: 11 }));
  renderMidi(mid, wav, 44_100);
  const audioSeconds = (statSync(wav).size - 44) / 4 / 44_100;
  console.log(`file: generated song (FluidSynth), ${audioSeconds.toFixed(1)} s, 44.1 kHz stereo 16-bit WAV\n`);

  if (!only || only === "analyze") {
    const ours = [];
    const ff = [];
    let rss = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = comaster(["analyze", wav, "--json"]);
      ours.push(r.seconds);
      rss = Math.max(rss, r.rssMb);
      ff.push(timeFfmpegEbur128(wav));
    }
    console.log(`analysis (median of ${RUNS}, wall time incl. process start and decode)`);
    row("comaster analyze --json", median(ours), audioSeconds);
    row("ffmpeg -af ebur128=peak=true", median(ff), audioSeconds);
    console.log(
      `  ratio: comaster runs at ${(median(ff) / median(ours)).toFixed(2)}x ffmpeg's speed (target > 1); peak memory ${rss.toFixed(0)} MB\n`,
    );
  }

  if (!only || only === "master") {
    // The streaming preset with every module on (five EQ bands active, as ffmpeg's five equalizers).
    const preset = JSON.parse(comaster(["preset", "streaming", "--all-on"]).stdout);
    const tweaks = {
      eq: { b1Gain: 1, b2Gain: -1, b3Gain: 0.5, b4Gain: -0.5, b5Gain: 1 },
      imager: { widthPct: 110 },
      fade: { inS: 0.5, outS: 2 },
      output: { bitDepth: "24" },
    };
    for (const m of preset.modules) Object.assign(m.params, tweaks[m.type] ?? {});
    const chain = join(dir, "all-on.json");
    writeFileSync(chain, JSON.stringify(preset));
    const graph =
      "highpass=f=20:poles=2,highpass=f=20:poles=2," +
      "equalizer=f=60:t=q:w=0.7:g=1,equalizer=f=150:t=q:w=1:g=-1,equalizer=f=500:t=q:w=1:g=0.5," +
      "equalizer=f=2000:t=q:w=1:g=-0.5,equalizer=f=6000:t=q:w=1:g=1," +
      "acompressor=threshold=0.125:ratio=2:attack=30:release=200:knee=2,stereotools=slev=1.1," +
      "alimiter=limit=0.891:attack=5:release=100:level=false";
    const ours = [];
    const ff = [];
    let oursOut;
    for (let i = 0; i < RUNS; i++) {
      oursOut = join(dir, "ours.wav");
      ours.push(comaster(["master", wav, oursOut, "--chain", chain, "--format", "wav24", "--json"]).seconds);
      const ffOut = join(dir, "ffmpeg.wav");
      ff.push(
        time(() => {
          const first = ffmpeg([
            "-i",
            wav,
            "-af",
            `${graph},loudnorm=I=-14:TP=-1:LRA=20:print_format=json`,
            "-f",
            "null",
            "-",
          ]);
          const m = JSON.parse(first.slice(first.lastIndexOf("{")));
          const measured = `measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}:measured_thresh=${m.input_thresh}:offset=${m.target_offset}`;
          ffmpeg([
            "-i",
            wav,
            "-af",
            `${graph},loudnorm=I=-14:TP=-1:LRA=20:${measured}:linear=true`,
            "-ar",
            "44100",
            "-c:a",
            "pcm_s24le",
            ffOut,
          ]);
        }),
      );
    }
    const ref = ffmpegEbur128(oursOut);
    const refFf = ffmpegEbur128(join(dir, "ffmpeg.wav"));
    console.log(`master: streaming preset, every module on, two-pass to -14 LUFS / -1 dBTP (median of ${RUNS})`);
    row("comaster master (all modules)", median(ours), audioSeconds);
    row("ffmpeg chain + two-pass loudnorm", median(ff), audioSeconds);
    console.log(`  ratio: comaster runs at ${(median(ff) / median(ours)).toFixed(2)}x ffmpeg's speed (target >= 2)`);
    console.log(
      `  ffmpeg ebur128 of our output:    I ${ref.integratedLufs.toFixed(2)} LUFS, TP ${ref.truePeakDbtp.toFixed(2)} dBTP`,
    );
    console.log(
      `  ffmpeg ebur128 of ffmpeg output: I ${refFf.integratedLufs.toFixed(2)} LUFS, TP ${refFf.truePeakDbtp.toFixed(2)} dBTP\n`,
    );
  }

  if (!only || only === "memory") {
    const long = join(dir, "long96k.wav");
    writeWav24(long, 96_000, 600, musicLike(96_000, 4));
    console.log(`memory: 10-minute 96 kHz stereo 24-bit WAV (${(statSync(long).size / 1e6).toFixed(0)} MB)`);
    const a = comaster(["analyze", long, "--json"]);
    console.log(`  comaster analyze: ${a.seconds.toFixed(1)} s, peak memory ${a.rssMb.toFixed(0)} MB`);
    const m = comaster(["master", long, join(dir, "long-out.wav"), "--preset", "streaming", "--json"]);
    console.log(
      `  comaster master (streaming preset): ${m.seconds.toFixed(1)} s, peak memory ${m.rssMb.toFixed(0)} MB (target < 400 MB)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
