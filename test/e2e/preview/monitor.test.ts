/// <reference lib="dom" />
// (the DOM library: the page.evaluate callback below runs in the browser)
// The monitoring worklet (apps/web/src/preview/monitor/monitorWorklet.ts, bundled by
// apps/web/build-worklet.mjs) in Debian's Chromium, in an OfflineAudioContext: in "mono" mode the
// speakers get L == R, and meter messages (of the master, before listen-as) reach the main thread.
import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWorklets, MONITOR_WORKLET } from "../../../scripts/lib/worklets.mjs";
import { CHROMIUM_ARGS, findChromium } from "../app";
import { baseUrl, serve } from "./staticServer";

const executablePath = findChromium("preview monitor test");

interface Rendered {
  frames: number;
  maxAbsLeft: number;
  maxDiff: number;
  meters: { type: string; frame: number; momentaryLufs: number | null; correlation: number | null }[];
  errors: unknown[];
}

describe.skipIf(!executablePath)("preview monitor: the monitor worklet in Chromium", () => {
  let server: Server;
  let browser: Browser;

  beforeAll(async () => {
    ensureWorklets();
    server = await serve({
      "/": { type: "text/html", body: '<!doctype html><meta charset="utf-8"><title>monitor</title>' },
      "/worklets/monitor-worklet.js": { type: "text/javascript", body: readFileSync(MONITOR_WORKLET) },
    });
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('plays L == R in "mono" and posts meter readings of the stereo master', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${baseUrl(server)}/`);
    const rendered: Rendered = await page.evaluate(async () => {
      const sampleRate = 48_000;
      const length = sampleRate; // 1 s
      const ctx = new OfflineAudioContext({ numberOfChannels: 2, length, sampleRate });
      await ctx.audioWorklet.addModule("/worklets/monitor-worklet.js");
      const node = new AudioWorkletNode(ctx, "comaster-monitor", {
        outputChannelCount: [2],
        channelCount: 2,
        channelCountMode: "explicit",
        channelInterpretation: "discrete",
        processorOptions: { mode: "mono" },
      });
      const meters: Rendered["meters"] = [];
      const errors: unknown[] = [];
      node.port.onmessage = (e) => (e.data.type === "meters" ? meters.push(e.data) : errors.push(e.data));
      // Different channels: a 1 kHz sine left, the same sine inverted and halved right.
      const tone = ctx.createBuffer(2, length, sampleRate);
      const l = tone.getChannelData(0);
      const r = tone.getChannelData(1);
      for (let i = 0; i < length; i++) {
        l[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / sampleRate);
        r[i] = -0.5 * l[i]!;
      }
      const source = new AudioBufferSourceNode(ctx, { buffer: tone });
      source.connect(node).connect(ctx.destination);
      source.start();
      const out = await ctx.startRendering();
      await new Promise((done) => setTimeout(done, 100)); // the last readings are in flight
      const left = out.getChannelData(0);
      const right = out.getChannelData(1);
      let maxDiff = 0;
      let maxAbsLeft = 0;
      for (let i = 0; i < length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(left[i]! - right[i]!));
        maxAbsLeft = Math.max(maxAbsLeft, Math.abs(left[i]!));
      }
      return { frames: length, maxAbsLeft, maxDiff, meters, errors };
    });
    await page.close();
    expect(pageErrors).toEqual([]);
    expect(rendered.errors).toEqual([]);
    console.log(
      `monitor worklet: max |L − R| ${rendered.maxDiff}, max |L| ${rendered.maxAbsLeft.toFixed(4)}, ` +
        `${rendered.meters.length} meter readings, last ${JSON.stringify(rendered.meters.at(-1)?.momentaryLufs)} LUFS`,
    );
    expect(rendered.maxDiff).toBe(0);
    expect(rendered.maxAbsLeft).toBeCloseTo(0.125, 2); // (0.5·s − 0.25·s) / 2
    // 1 s at ≤ 20 Hz: about 20 readings, none faster than 50 ms apart.
    expect(rendered.meters.length).toBeGreaterThanOrEqual(15);
    expect(rendered.meters.length).toBeLessThanOrEqual(21);
    for (let i = 1; i < rendered.meters.length; i++) {
      expect(rendered.meters[i]!.frame - rendered.meters[i - 1]!.frame).toBeGreaterThanOrEqual(0.05 * 48_000 - 128);
    }
    // The meters see the master, not the mono fold-down: the channels are in opposite phase.
    const last = rendered.meters.at(-1)!;
    expect(last.correlation).toBeCloseTo(-1, 6);
    // BS.1770: −0.691 + 10·log10(Σ A²/2) + 0.691 (the K-filter's gain at 1 kHz) = −8.06 LUFS.
    expect(Math.abs(last.momentaryLufs! - 10 * Math.log10(0.5 ** 2 / 2 + 0.25 ** 2 / 2))).toBeLessThan(0.1);
  });
});
