/// <reference lib="dom" />
// (the DOM library: the page.evaluate callbacks below run in the browser)
// What only a playing preview shows, in Debian's Chromium against the production build:
// 1. the desk's gain reduction meters: a loud chain's limiter reads a reduction while the mix plays,
//    the bypassed de-esser none, and no meter shows once it is paused;
// 2. A/B against a saved version: with the live chain at −23 LUFS (broadcast) and a saved version
//    at −9 LUFS (loud) as B, the monitor's momentary loudness follows the switch (each chain plays
//    at its own target), the page reports which side is heard, and the B key switches too;
// 3. both chains play with the export's own loudness gain: the server measures each chain on the mix
//    (`preview.loudnessGain`), the page shows the figure of `comaster gain` for that chain and file, and
//    the momentary loudness of each side sits at its target (the estimate from the mix's analysis put
//    the broadcast chain ≈ 3 dB under it).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { musicLike, writeWav24 } from "../../../scripts/lib/wavWriter.mjs";
import { comaster } from "../../support/cli";
import { CHROMIUM_ARGS, createClass, findChromium, type RunningApp, SCREENSHOT_DIR, signUp, startApp } from "../app";

const executablePath = findChromium("end-to-end preview playback tests");
const VIEWPORT = { width: 1366, height: 900 };
const SECONDS = 40;

describe.skipIf(!executablePath)("the preview while it plays (Chromium, production build)", () => {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let mix: string;

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    app = await startApp();
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    await signUp(page, app.baseUrl, "ms_adeyemi", "Ms Adeyemi");
    await createClass(page, "Year 13 Production");
    await page.getByLabel("New project").fill("Loud song");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(/\/projects\/[^/]+$/);
    mix = join(app.dir, "loud-song.wav");
    await writeWav24(mix, 44_100, SECONDS, musicLike(44_100, 5));
    await page.getByLabel("Choose a mix to upload").setInputFiles(mix);
    await page.getByTestId("asset").waitFor({ timeout: 60_000 });
    await page.waitForFunction(
      "document.querySelector('[data-testid=preview-play]')?.disabled === false && !!window.__comasterPreview",
      undefined,
      { timeout: 30_000 },
    );
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close();
    await app?.stop();
  });

  /** Applies a preset from the desk's toolbar and waits until the chain shows its loudness target. */
  async function applyPreset(preset: string, targetLufs: number) {
    await page.getByLabel("Start from").selectOption(preset);
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    const loudnessId = (await page.getByTestId("module-loudness").getAttribute("data-module-id")) ?? "";
    await page.waitForFunction(
      ([id, v]) =>
        document
          .querySelector(`[data-testid="param-${id}-targetLufs"] [role=slider]`)
          ?.getAttribute("aria-valuenow") === v,
      [loudnessId, String(targetLufs)] as const,
      { timeout: 10_000 },
    );
  }

  async function setPlaying(playing: boolean) {
    const state = await page.evaluate(() => (window as HookWindow).__comasterPreview!.engine.snapshot().state);
    if ((state !== "paused") !== playing) await page.getByTestId("preview-play").click();
    await page.waitForFunction(
      (p) => ((window as HookWindow).__comasterPreview!.engine.snapshot().state === "paused") === !p,
      playing,
      { timeout: 10_000 },
    );
  }

  /** The largest reading a module's meter shows over `ms` (null if it never shows). */
  async function peakReduction(type: string, ms: number): Promise<number | null> {
    return page.evaluate(
      async ([type, ms]) => {
        let peak: number | null = null;
        const end = performance.now() + (ms as number);
        while (performance.now() < end) {
          const meter = document.querySelector(`[data-testid="module-${type}"] [data-testid=gain-reduction]`);
          const db = meter?.getAttribute("data-gr-db");
          if (db != null) peak = Math.max(peak ?? 0, Number(db));
          await new Promise((r) => requestAnimationFrame(r));
        }
        return peak;
      },
      [type, ms] as const,
    );
  }

  /** The monitor's momentary loudness, LUFS, averaged over `ms` (the 400 ms window, read every 100 ms). */
  async function momentaryLufs(ms: number): Promise<number> {
    return page.evaluate(async (ms) => {
      const values: number[] = [];
      for (let t = 0; t < ms; t += 100) {
        const text = document.querySelector("[data-testid=meter-Momentary]")?.textContent ?? "";
        const v = Number.parseFloat(text.replace("\u2212", "-"));
        if (Number.isFinite(v)) values.push(v);
        await new Promise((r) => setTimeout(r, 100));
      }
      return values.reduce((a, b) => a + b, 0) / values.length;
    }, ms);
  }

  it("shows each dynamics module's gain reduction on the desk while the preview plays", async () => {
    // Loud: −9 LUFS into a −1 dBTP limiter, firmer compression; the de-esser stays bypassed.
    await applyPreset("loud", -9);
    expect(await page.getByTestId("module-deesser").getAttribute("data-bypassed")).toBe("true");
    expect(await page.getByTestId("gain-reduction").count()).toBe(0); // stopped: no meters

    await setPlaying(true);
    await page.getByTestId("module-limiter").getByTestId("gain-reduction").waitFor({ timeout: 5000 });
    const [limiter, compressor, deesser] = await Promise.all([
      peakReduction("limiter", 3000),
      peakReduction("compressor", 3000),
      peakReduction("deesser", 3000),
    ]);
    console.log(
      `preview: gain reduction over 3 s — limiter ${limiter} dB, compressor ${compressor} dB, de-esser ${deesser} dB`,
    );
    expect(limiter).toBeGreaterThan(1);
    expect(compressor).toBeGreaterThan(0.5);
    expect(deesser).not.toBeNull(); // shown, as a dynamics module of the chain
    expect(deesser).toBeLessThan(0.05);
    await shot("20-preview-gain-reduction");
    // Assistive technology reads the same reduction from the meter element.
    expect(await page.getByTestId("module-limiter").getByRole("meter", { name: "Gain reduction" }).count()).toBe(1);
    await page.waitForFunction(
      () => {
        const m = document.querySelector<HTMLMeterElement>('[data-testid="module-limiter"] meter');
        return !!m && m.value > 0 && /^\u2212\d+\.\d dB$/.test(m.getAttribute("aria-valuetext") ?? "");
      },
      undefined,
      { timeout: 5000, polling: "raf" },
    );

    await setPlaying(false);
    await page.waitForFunction("document.querySelectorAll('[data-testid=gain-reduction]').length === 0", undefined, {
      timeout: 5000,
    });
  }, 120_000);

  it("switches between the live chain (A) and a saved version (B), each at its own loudness", async () => {
    // B: the loud chain, saved as a version. A: the live chain, now the broadcast preset at −23 LUFS.
    await page.getByTestId("version-label-input").fill("Loud master");
    await page.getByTestId("save-version").click();
    await page.getByTestId("version-row").filter({ hasText: "Loud master" }).waitFor({ timeout: 10_000 });
    await applyPreset("broadcast", -23);

    const ab = page.getByTestId("preview-ab");
    expect(await ab.getAttribute("data-listening")).toBe("A");
    expect(await page.getByTestId("preview-listen-b").isDisabled()).toBe(true);
    await page.getByTestId("preview-version-b").selectOption({ label: "Loud master" });
    await page.waitForFunction(
      "!!document.querySelector('[data-testid=preview-ab]')?.getAttribute('data-version-b') && " +
        "document.querySelector('[data-testid=preview-listen-b]')?.disabled === false",
      undefined,
      { timeout: 10_000 },
    );

    // Both sides' gains measured on the server: the export's figures for these chains on this file.
    await page.waitForFunction(
      "document.querySelector('[data-testid=preview-loudness-gain]')?.dataset.source === 'measured' && " +
        "document.querySelector('[data-testid=preview-b-loudness-gain]')?.dataset.source === 'measured'",
      undefined,
      { timeout: 90_000 },
    );
    const expected = JSON.parse(comaster(["gain", mix, "--preset", "broadcast", "--json"]).stdout);
    const shown = Number(await page.getByTestId("preview-loudness-gain").getAttribute("data-gain-db"));
    const snapshot = await page.evaluate(() => (window as HookWindow).__comasterPreview!.engine.snapshot());
    expect(shown).toBe(expected.loudnessGainDb);
    expect(snapshot.loudnessGainDb).toBe(expected.loudnessGainDb);
    const loud = JSON.parse(comaster(["gain", mix, "--preset", "loud", "--json"]).stdout);
    expect(snapshot.versionB?.loudnessGainDb).toBe(loud.loudnessGainDb);

    await setPlaying(true);
    await page.waitForTimeout(1500);
    const a1 = await momentaryLufs(1500);

    await page.getByTestId("preview-listen-b").click();
    await page.waitForFunction("document.querySelector('[data-testid=preview-ab]')?.dataset.listening === 'B'");
    expect(await page.getByTestId("preview-listen-b").getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByTestId("preview-listen-a").getAttribute("aria-pressed")).toBe("false");
    // The desk shows the live chain's modules: their gain reduction is not what B does, so it goes.
    await page.waitForFunction("document.querySelectorAll('[data-testid=gain-reduction]').length === 0", undefined, {
      timeout: 5000,
    });
    await page.waitForTimeout(1000);
    const b1 = await momentaryLufs(1500);
    await shot("21-preview-ab");

    // The B key switches back (focus on the page, not in a field).
    await page.locator("h1").click();
    await page.keyboard.press("b");
    await page.waitForFunction("document.querySelector('[data-testid=preview-ab]')?.dataset.listening === 'A'");
    await page.getByTestId("module-limiter").getByTestId("gain-reduction").waitFor({ timeout: 5000 });
    await page.waitForTimeout(1000);
    const a2 = await momentaryLufs(1500);
    const state = await page.evaluate(() => (window as HookWindow).__comasterPreview!.engine.snapshot().state);
    console.log(
      `preview A/B: momentary A ${a1.toFixed(1)} LUFS, B ${b1.toFixed(1)} LUFS, A again ${a2.toFixed(1)} LUFS (targets −23 / −9)`,
    );
    expect(state).toBe("playing"); // the switch never stopped the music
    expect(b1 - a1).toBeGreaterThan(8);
    expect(b1 - a1).toBeLessThan(20);
    expect(Math.abs(a2 - a1)).toBeLessThan(3);
    // Each side at its target (momentary loudness of music wanders around the integrated figure).
    expect(Math.abs((a1 + a2) / 2 - -23)).toBeLessThan(1.5);
    expect(Math.abs(b1 - -9)).toBeLessThan(1.5);
    await setPlaying(false);
  }, 120_000);
});

/** What the page's test hook (`PreviewEngine.exposeTestHook`) holds, as far as this test reads it. */
interface Hook {
  engine: { snapshot(): { state: string; loudnessGainDb: number; versionB: { loudnessGainDb: number } | null } };
}
type HookWindow = Window & { __comasterPreview?: Hook };
