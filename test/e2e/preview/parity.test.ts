/// <reference lib="dom" />
// (the DOM library: the page.evaluate callbacks below run in the browser)
// Preview ⇄ export parity: the chain worklet (apps/web/src/preview/chainWorklet.ts, bundled by
// apps/web/build-worklet.mjs) in Debian's Chromium, rendering in an OfflineAudioContext, against the
// built `comaster` CLI's 32-bit float WAV of the same file, chain and loudness gain. After latency
// alignment (worklet frame n + latency ↔ export frame n) the two must agree to −100 dBFS.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Chain, parseChain, presetChain } from "@comaster/chain";
import { decodeAudio } from "@comaster/codecs";
import { fadeGain } from "@comaster/dsp";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { musicLike, writeWav24 } from "../../../scripts/lib/wavWriter.mjs";
import { CHAIN_WORKLET, ensureWorklets } from "../../../scripts/lib/worklets.mjs";
import { comaster, REPO } from "../../support/cli";
import { tempDir } from "../../support/tmp";
import { CHROMIUM_ARGS, findChromium } from "../app";
import { baseUrl, serve } from "./staticServer";

const executablePath = findChromium("preview parity test");
const WEB = join(REPO, "apps/web");
const CLI_BUNDLE = join(REPO, "apps/render-worker/dist/cli.js");
const SAMPLE_RATE = 44_100;
const SECONDS = 8;
/** −100 dBFS. */
const MAX_DIFF = 1e-5;

/**
 * The streaming preset (high-pass, EQ, compressor, imager, loudness −14 LUFS, true-peak limiter)
 * with EQ moves, multiband and saturation switched on, and fades: the preview mirrors the export's
 * fade, so nothing is left out of the comparison.
 */
function testChain(): Chain {
  const base = presetChain("streaming");
  return parseChain({
    ...base,
    modules: base.modules.map((m) => {
      if (m.type === "eq") return { ...m, params: { ...m.params, b1Gain: 3, b4Gain: -2.5, b6Gain: 2 } };
      if (m.type === "saturation" || m.type === "multiband") return { ...m, bypass: false };
      if (m.type === "fade") return { ...m, bypass: false, params: { inS: 0.5, outS: 1, curve: "sCurve" } };
      if (m.type === "loudness") return { ...m, params: { ...m.params, targetLufs: -14 } };
      return m;
    }),
  });
}

/** apps/web/src/preview/renderOffline.ts as the page sees it (the test project has no DOM types). */
type RenderOffline = (r: {
  channels: Float32Array[];
  sampleRate: number;
  chain: Chain;
  loudnessGainDb: number;
}) => Promise<{ channels: Float32Array[]; latencyFrames: number }>;

/** The part of esbuild's API used here (esbuild is apps/web's dependency, not this package's). */
interface Esbuild {
  build(o: Record<string, unknown> & { write: false }): Promise<{ outputFiles: { text: string }[] }>;
}

/** The page's script: `renderOffline` from apps/web, bundled with apps/web's esbuild. */
async function pageScript(): Promise<string> {
  const esbuild = createRequire(join(WEB, "package.json"))("esbuild") as Esbuild;
  const result = await esbuild.build({
    stdin: {
      contents: 'import { renderOffline } from "./renderOffline"; globalThis.renderOffline = renderOffline;',
      resolveDir: join(WEB, "src/preview"),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

const toBase64 = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("base64");
const fromBase64 = (s: string) => {
  const bytes = Buffer.from(s, "base64");
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
};
const dbfs = (x: number) => (x === 0 ? "−∞" : (20 * Math.log10(x)).toFixed(1));

describe.skipIf(!executablePath)("preview parity: chain worklet in Chromium ⇄ the CLI's wav32f export", () => {
  const dir = tempDir("preview-parity");
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CLI_BUNDLE)) {
      throw new Error("the comaster CLI is not built: run `pnpm --filter @comaster/render-worker build`");
    }
    ensureWorklets();
    const html = '<!doctype html><meta charset="utf-8"><title>parity</title><script src="/page.js"></script>';
    server = await serve({
      "/": { type: "text/html", body: html },
      "/page.js": { type: "text/javascript", body: await pageScript() },
      "/worklets/chain-worklet.js": { type: "text/javascript", body: readFileSync(CHAIN_WORKLET) },
    });
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it("renders the export's samples to −100 dBFS after latency alignment", async () => {
    const inPath = join(dir, "mix.wav");
    const outPath = join(dir, "master.wav");
    const chainPath = join(dir, "chain.json");
    writeWav24(inPath, SAMPLE_RATE, SECONDS, musicLike(SAMPLE_RATE, 11));
    const chain = testChain();
    writeFileSync(chainPath, JSON.stringify(chain));

    const run = comaster(["master", inPath, outPath, "--chain", chainPath, "--format", "wav32f", "--json"], 120_000);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { master: { loudnessGainDb: number; output: { bitDepth: string } } };
    const gainDb = report.master.loudnessGainDb;
    expect(report.master.output.bitDepth).toBe("32f"); // no dither, no quantisation
    expect(Number.isFinite(gainDb)).toBe(true);

    const input = await decodeAudio(readFileSync(inPath));
    const exported = await decodeAudio(readFileSync(outPath));
    expect(exported.sampleRate).toBe(SAMPLE_RATE); // the chain keeps the rate: no resampling
    const frames = input.channelData[0]!.length;
    expect(exported.channelData[0]!.length).toBe(frames);

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${baseUrl(server)}/`);
    const rendered = await page.evaluate(
      async ({ channels, sampleRate, chain, loudnessGainDb }) => {
        const decode = (s: string) => {
          const bin = atob(s);
          const bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          return new Float32Array(bytes.buffer);
        };
        const encode = (x: Float32Array) => {
          const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
          let bin = "";
          for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(bin);
        };
        const render = (globalThis as unknown as { renderOffline: RenderOffline }).renderOffline;
        const out = await render({ channels: channels.map(decode), sampleRate, chain, loudnessGainDb });
        return { channels: out.channels.map(encode), latencyFrames: out.latencyFrames };
      },
      { channels: input.channelData.map(toBase64), sampleRate: SAMPLE_RATE, chain, loudnessGainDb: gainDb },
    );
    await page.close();
    expect(pageErrors).toEqual([]);

    const latency = rendered.latencyFrames;
    const worklet = rendered.channels.map(fromBase64);
    expect(latency).toBeGreaterThan(0);
    expect(worklet[0]!.length).toBe(frames + latency);

    let maxDiff = 0;
    let maxChange = 0;
    for (let c = 0; c < 2; c++) {
      const e = exported.channelData[c]!;
      const w = worklet[c]!;
      const x = input.channelData[c]!;
      for (let i = 0; i < frames; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(w[i + latency]! - e[i]!));
        maxChange = Math.max(maxChange, Math.abs(w[i + latency]! - x[i]!));
      }
    }
    console.log(
      `preview parity: gain ${gainDb.toFixed(3)} dB, latency ${latency} frames, ` +
        `max |worklet − export| ${maxDiff.toExponential(3)} (${dbfs(maxDiff)} dBFS), ` +
        `max |worklet − input| ${maxChange.toFixed(3)} (${dbfs(maxChange)} dBFS)`,
    );
    expect(maxDiff).toBeLessThanOrEqual(MAX_DIFF);
    // A worklet that passed the input through (or only delayed it) would be far off.
    expect(maxChange).toBeGreaterThan(0.1);
  });
  it("acknowledges a live parameter change with the frame it took effect from", async () => {
    const chain = testChain();
    const page = await browser.newPage();
    await page.goto(`${baseUrl(server)}/`);
    const messages = await page.evaluate(
      async ({ modules }) => {
        const sampleRate = 44_100;
        const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: 128 * 200, sampleRate });
        await ctx.audioWorklet.addModule("/worklets/chain-worklet.js");
        const node = new AudioWorkletNode(ctx, "comaster-chain", {
          outputChannelCount: [2],
          channelCount: 2,
          channelCountMode: "explicit",
          channelInterpretation: "discrete",
          processorOptions: { channels: 2, load: { modules, loudnessGainDb: 0 } },
        });
        const received: unknown[] = [];
        node.port.onmessage = (e) => received.push(e.data);
        const tone = ctx.createBuffer(2, 128 * 200, sampleRate);
        for (let c = 0; c < 2; c++) {
          const x = tone.getChannelData(c);
          for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.05) * 0.5;
        }
        const source = new AudioBufferSourceNode(ctx, { buffer: tone });
        source.connect(node).connect(ctx.destination);
        source.start();
        ctx.suspend((128 * 50) / sampleRate).then(() => {
          node.port.postMessage({ type: "setParam", moduleId: "compressor", key: "ratio", value: 8, seq: 7 });
          node.port.postMessage({ type: "setBypass", moduleId: "nope", bypass: true, seq: 8 });
          ctx.resume();
        });
        await ctx.startRendering();
        await new Promise((r) => setTimeout(r, 100)); // the last acknowledgements are in flight
        return received as { type: string; seq?: number; frame?: number; message?: string; latencyFrames?: number }[];
      },
      { modules: chain.modules },
    );
    await page.close();
    expect(messages[0]).toEqual({ type: "loaded", latencyFrames: expect.any(Number) });
    const applied = messages.find((m) => m.type === "paramApplied");
    expect(applied?.seq).toBe(7);
    expect(applied!.frame! % 128).toBe(0);
    expect(applied!.frame).toBeGreaterThanOrEqual(128 * 50);
    expect(applied!.frame).toBeLessThan(128 * 200);
    expect(messages.find((m) => m.type === "error")).toEqual({
      type: "error",
      seq: 8,
      message: expect.stringMatching(/no module "nope"/),
    });
  });
  it("fades at the programme time a position message names (a seek into the fade-out), as the export does", async () => {
    const chain = testChain(); // fade in 0.5 s, out 1 s, S-curve
    const fade = chain.modules.find((m) => m.type === "fade")!.params as {
      inS: number;
      outS: number;
      curve: Parameters<typeof fadeGain>[0];
    };
    const sampleRate = SAMPLE_RATE;
    const frames = 3 * sampleRate;
    const seekAt = 128 * 60 + 37; // context frame of the seek: mid-block
    const seekTo = frames - Math.round(0.6 * sampleRate); // 0.6 s before the end: inside the fade-out
    const page = await browser.newPage();
    await page.goto(`${baseUrl(server)}/`);
    const rendered = await page.evaluate(
      async ({ modules, frames, sampleRate, seekAt, seekTo }) => {
        const encode = (x: Float32Array) => {
          const bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
          let bin = "";
          for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          return btoa(bin);
        };
        // What the preview's player does at a seek: the piece playing stops, the mix starts again
        // at the new place, and the worklet is told (here 50 blocks ahead, as the player's lead).
        const render = async (withFade: boolean) => {
          const plans = modules.map((m) => (m.type === "fade" ? { ...m, bypass: !withFade } : m));
          const length = seekAt + (frames - seekTo) + 4096;
          const ctx = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate });
          await ctx.audioWorklet.addModule("/worklets/chain-worklet.js");
          const load = { modules: plans, loudnessGainDb: 0, programmeFrames: frames };
          const node = new AudioWorkletNode(ctx, "comaster-chain", {
            outputChannelCount: [2],
            channelCount: 2,
            channelCountMode: "explicit",
            channelInterpretation: "discrete",
            processorOptions: { channels: 2, load },
          });
          let latencyFrames = -1;
          const errors: unknown[] = [];
          node.port.onmessage = (e) => {
            if (e.data.type === "loaded") latencyFrames = e.data.latencyFrames;
            else if (e.data.type === "error") errors.push(e.data);
          };
          const mix = ctx.createBuffer(2, frames, sampleRate);
          for (let c = 0; c < 2; c++) {
            const x = mix.getChannelData(c);
            for (let i = 0; i < frames; i++)
              x[i] = 0.3 * Math.sin(i * (0.031 + 0.007 * c)) + 0.1 * Math.sin(i * 0.0023);
          }
          const before = new AudioBufferSourceNode(ctx, { buffer: mix });
          const after = new AudioBufferSourceNode(ctx, { buffer: mix });
          before.connect(node);
          after.connect(node);
          node.connect(ctx.destination);
          before.start(0);
          before.stop(seekAt / sampleRate);
          after.start(seekAt / sampleRate, seekTo / sampleRate);
          ctx.suspend((128 * 10) / sampleRate).then(() => {
            node.port.postMessage({ type: "position", contextFrame: seekAt, frame: seekTo, restart: true });
            ctx.resume();
          });
          const out = await ctx.startRendering();
          return { channels: [0, 1].map((c) => encode(out.getChannelData(c))), latencyFrames, errors };
        };
        return { on: await render(true), off: await render(false) };
      },
      { modules: chain.modules, frames, sampleRate, seekAt, seekTo },
    );
    await page.close();
    expect(rendered.on.errors).toEqual([]);
    expect(rendered.off.errors).toEqual([]);
    const latency = rendered.on.latencyFrames;
    expect(latency).toBeGreaterThan(0);
    expect(rendered.off.latencyFrames).toBe(latency);

    // The export's gain at programme frame p (FadeProcessor in packages/dsp/src/chain/outputStage.ts).
    const fin = Math.round(fade.inS * sampleRate);
    const fout = Math.round(fade.outS * sampleRate);
    const exportGain = (p: number) =>
      (p < fin ? fadeGain(fade.curve, p / fin) : 1) *
      (p >= frames ? 0 : p >= frames - fout ? fadeGain(fade.curve, (frames - 1 - p) / fout) : 1);
    const on = rendered.on.channels.map(fromBase64);
    const off = rendered.off.channels.map(fromBase64);
    let maxError = 0;
    let compared = 0;
    let deepest = 1;
    let pastEnd = 0;
    for (let c = 0; c < 2; c++) {
      for (let o = latency; o < on[c]!.length; o++) {
        const n = o - latency; // the input frame this output frame came from
        const p = n < seekAt ? n : seekTo + (n - seekAt);
        if (p >= frames) {
          pastEnd = Math.max(pastEnd, Math.abs(on[c]![o]!));
          continue;
        }
        if (Math.abs(off[c]![o]!) < 1e-3) continue;
        const g = exportGain(p);
        maxError = Math.max(maxError, Math.abs(on[c]![o]! / off[c]![o]! - g));
        deepest = Math.min(deepest, g);
        compared++;
      }
    }
    console.log(
      `preview fade after a seek: ${compared} samples compared, max |gain − export gain| ${maxError.toExponential(2)}, ` +
        `deepest export gain ${deepest.toFixed(4)}`,
    );
    expect(compared).toBeGreaterThan(50_000);
    expect(deepest).toBeLessThan(0.01); // the comparison reaches the end of the fade-out
    expect(maxError).toBeLessThan(1e-5);
    expect(pastEnd).toBe(0); // cut after the programme's last frame, as the export
  });
});
