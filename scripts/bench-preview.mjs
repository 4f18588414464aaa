#!/usr/bin/env node
// `pnpm bench preview` (or `node scripts/bench-preview.mjs`): the real-time preview's weight and its
// start. Prints figures; asserts nothing.
//
// 1. Bundle sizes, raw and gzip: the chain worklet (apps/web/public/worklets/chain-worklet.js, built
//    by apps/web/build-worklet.mjs when missing or older than its sources) and the main-thread preview
//    engine (apps/web/src/preview/previewEngine.ts with Tone.js, bundled and minified here with
//    apps/web's esbuild — the app loads it as its own chunk).
// 2. Play to first sound on a 10-minute WAV (44.1 kHz, stereo, 24-bit, from scripts/lib/wavWriter.mjs)
//    in headless Debian Chromium, against a minimal static server (Range requests, like
//    /api/assets/:id/file) serving that engine bundle, the worklet and the file. The page creates a
//    PreviewEngine (header fetch, Tone, worklet module), then "presses play" and arms the worklet's
//    sound detector (`watchSound`): the worklet answers with the context frame of the first block it
//    renders with a sample above −100 dBFS. Printed per case (median of BENCH_RUNS):
//      main thread — performance.now() from the play() call to that answer arriving (includes the
//                    first 10 s piece's Range fetch and PCM conversion when cold, the scheduler's
//                    20 ms lead, the block and the message back);
//      audio clock — (sound frame − context frame at the play() call) / sample rate: when the first
//                    sound leaves the worklet, on the audio thread's own clock.
//    "cold": nothing fetched before play (prefetch off); "warm": the first piece prefetched when the
//    engine opened (the app's default: the panel opens the engine when the page loads).
//    The output device's own latency (not visible to the page, fake in headless Chromium) comes on top.
// 3. Until the preview's loudness gain is the export's: the server measures the chain on the mix with
//    the built CLI (`comaster gain`, the export's own passes, nothing written) after each pause in the
//    edits; the wall time of that on the same 10-minute WAV, for the streaming and broadcast presets
//    (the preview plays with an estimate meanwhile).
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CHROMIUM_ARGS, chromiumPath } from "./lib/chromium.mjs";
import { musicLike, writeWav24 } from "./lib/wavWriter.mjs";
import { CHAIN_WORKLET, ensureWorklets } from "./lib/worklets.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const WEB = join(ROOT, "apps/web");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SAMPLE_RATE = 44_100;
const SECONDS = 600;

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The bench page's script: PreviewEngine and a preset chain, bundled with apps/web's esbuild. */
async function pageScript(minify) {
  const esbuild = createRequire(join(WEB, "package.json"))("esbuild");
  const result = await esbuild.build({
    stdin: {
      contents: [
        'import { presetChain } from "@comaster/chain";',
        'import { PreviewEngine } from "./previewEngine";',
        "globalThis.PreviewEngine = PreviewEngine;",
        'globalThis.benchChain = presetChain("streaming");',
      ].join("\n"),
      resolveDir: join(WEB, "src/preview"),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify,
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

/** The engine alone (what the app's preview chunk carries): PreviewEngine + Tone, minified. */
async function engineBundleBytes() {
  const esbuild = createRequire(join(WEB, "package.json"))("esbuild");
  const result = await esbuild.build({
    stdin: {
      contents: 'export { PreviewEngine } from "./previewEngine";',
      resolveDir: join(WEB, "src/preview"),
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    write: false,
    logLevel: "warning",
  });
  return Buffer.from(result.outputFiles[0].contents);
}

function serve(files, wavPath) {
  const size = statSync(wavPath).size;
  const server = createServer((req, res) => {
    if (req.url === "/mix.wav") {
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      const start = m ? Number(m[1]) : 0;
      const end = m && m[2] !== "" ? Math.min(Number(m[2]), size - 1) : size - 1;
      res.writeHead(m ? 206 : 200, {
        "content-type": "audio/wav",
        "accept-ranges": "bytes",
        "content-length": String(end - start + 1),
        ...(m ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
      });
      createReadStream(wavPath, { start, end }).pipe(res);
      return;
    }
    const file = files[req.url ?? ""];
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.type }).end(file.body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const executablePath = chromiumPath();
if (!executablePath) {
  console.error("bench preview: needs Chromium (apt-get install chromium)");
  process.exit(2);
}

console.log("Preview: bundles");
ensureWorklets("inherit");
const worklet = readFileSync(CHAIN_WORKLET);
console.log(
  `  chain worklet  ${kib(worklet.length).padStart(10)} raw  ${kib(gzipSync(worklet).length).padStart(10)} gzip`,
);
const engine = await engineBundleBytes();
console.log(
  `  engine + Tone  ${kib(engine.length).padStart(10)} raw  ${kib(gzipSync(engine).length).padStart(10)} gzip  (minified; with @comaster/chain, zod and the PCM codecs, which the page loads anyway)`,
);

const dir = mkdtempSync(join(tmpdir(), "comaster-bench-preview-"));
const wav = join(dir, "ten-minutes.wav");
let server;
let browser;
try {
  writeWav24(wav, SAMPLE_RATE, SECONDS, musicLike(SAMPLE_RATE, 7));
  const html = '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/page.js"></script>';
  server = await serve(
    {
      "/": { type: "text/html", body: html },
      "/page.js": { type: "text/javascript", body: await pageScript(true) },
      "/worklets/chain-worklet.js": { type: "text/javascript", body: worklet },
    },
    wav,
  );
  const { chromium } = createRequire(join(ROOT, "test/package.json"))("playwright-core");
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const url = `http://127.0.0.1:${server.address().port}/`;
  console.log(
    `\nPreview: play to first sound, ${SECONDS / 60}-minute WAV (${(statSync(wav).size / 1e6).toFixed(0)} MB, 44.1 kHz stereo 24-bit), median of ${RUNS}`,
  );
  for (const prefetch of [false, true]) {
    const open = [];
    const main = [];
    const audio = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage();
      await page.goto(url);
      const r = await page.evaluate(async (prefetch) => {
        const t0 = performance.now();
        const engine = await globalThis.PreviewEngine.create({
          url: "/mix.wav",
          chain: globalThis.benchChain,
          mixLufs: -20,
          prefetch,
        });
        const opened = performance.now() - t0;
        if (prefetch) await new Promise((r) => setTimeout(r, 1000));
        const sound = engine.nextSound();
        const frameAtPlay = Math.round(engine.context.currentTime * engine.context.sampleRate);
        const tPlay = performance.now();
        await engine.play();
        const frame = await sound;
        const mainMs = performance.now() - tPlay;
        const audioMs = ((frame - frameAtPlay) / engine.context.sampleRate) * 1000;
        engine.dispose();
        return { opened, mainMs, audioMs };
      }, prefetch);
      await page.close();
      open.push(r.opened);
      main.push(r.mainMs);
      audio.push(r.audioMs);
    }
    const label = prefetch ? "warm (first piece prefetched)" : "cold (nothing fetched before play)";
    console.log(
      `  ${label.padEnd(36)} main thread ${median(main).toFixed(1).padStart(6)} ms   audio clock ${median(audio).toFixed(1).padStart(6)} ms   (engine open ${median(open).toFixed(0)} ms)`,
    );
  }
  console.log("  target: under 200 ms cold on localhost; the output device's latency comes on top");

  console.log(
    `\nPreview: the export's loudness gain measured on the server (comaster gain), same ${SECONDS / 60}-minute WAV`,
  );
  const cli = join(ROOT, "apps/render-worker/bin/comaster.js");
  for (const preset of ["streaming", "broadcast"]) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, "gain", wav, "--preset", preset, "--json"], { encoding: "utf8" });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`comaster gain failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout);
    console.log(
      `  ${preset.padEnd(10)} ${seconds.toFixed(1).padStart(6)} s wall (${(SECONDS / seconds).toFixed(0)}× real time), ${m.passes} passes, gain ${m.loudnessGainDb.toFixed(2)} dB → ${m.integratedLufs.toFixed(2)} LUFS`,
    );
  }
} finally {
  await browser?.close();
  server?.close();
  rmSync(dir, { recursive: true, force: true });
}
