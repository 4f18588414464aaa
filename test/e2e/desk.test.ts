// The live desk end to end, in Debian's Chromium against the production build with the collaboration
// server and a render worker: a teacher and two students on one project in three browser contexts.
// A parameter set by one shows for the others within a second; presence shows all three; a comment
// at 0:05 appears for the others; the teacher saves a version, a student renders it, and the export
// is that version (its chain, and its loudness target measured with packages/dsp).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseChain } from "@comaster/chain";
import { decodeAudio } from "@comaster/codecs";
import { createDb } from "@comaster/db";
import { analyzeAudio } from "@comaster/dsp";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { musicLike, writeWav24 } from "../../scripts/lib/wavWriter.mjs";
import {
  CHROMIUM_ARGS,
  createClass,
  findChromium,
  joinClass,
  type RunningApp,
  renderOutcome,
  SCREENSHOT_DIR,
  signUp,
  startApp,
} from "./app";

const executablePath = findChromium("end-to-end desk tests");
const VIEWPORT = { width: 1366, height: 768 };

describe.skipIf(!executablePath)("the live desk with three people (Chromium, production build)", () => {
  let app: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startApp();
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await app?.stop();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  async function person(username: string, name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    await signUp(page, app.baseUrl, username, name);
    return page;
  }

  /** Milliseconds until `predicate` (evaluated in the page) holds. */
  async function msUntil(page: Page, fn: string, arg: unknown, timeoutMs = 5000): Promise<number> {
    const t0 = Date.now();
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: "raf" });
    return Date.now() - t0;
  }

  it("co-edits, sees presence and comments live, and renders a saved version", async () => {
    const teacher = await person("ms_rivera", "Ms Rivera");
    const ana = await person("ana_p", "Ana P");
    const ben = await person("ben_t", "Ben T");

    const code = await createClass(teacher, "Year 11 Music");
    for (const student of [ana, ben]) await joinClass(student, code, teacher.url());
    await ana.getByLabel("New project").fill("Group song");
    await ana.getByRole("button", { name: "Create project" }).click();
    await ana.waitForURL(/\/projects\/[^/]+$/);
    const projectUrl = ana.url();
    const mix = join(app.dir, "group-song.wav");
    await writeWav24(mix, 44_100, 12, musicLike(44_100, 11));
    await ana.getByLabel("Choose a mix to upload").setInputFiles(mix);
    await ana.getByTestId("asset").waitFor({ timeout: 60_000 });

    await teacher.goto(projectUrl);
    await ben.goto(projectUrl);
    const pages = [teacher, ana, ben];

    // Presence: everyone sees three people.
    for (const page of pages) {
      await page.waitForFunction(
        "document.querySelectorAll('[data-testid=presence] [data-testid=avatar]').length === 3",
        undefined,
        { timeout: 15_000 },
      );
    }
    const names = await teacher
      .getByTestId("presence")
      .getByTestId("avatar")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-user-name")).sort());
    expect(names).toEqual(["Ana P", "Ben T", "Ms Rivera"]);
    await shot(teacher, "10-desk-three-people");

    // Ana turns the limiter's ceiling knob (keyboard); the others see it within a second.
    const limiterId = (await ana.getByTestId("module-limiter").getAttribute("data-module-id")) ?? "";
    expect(limiterId).not.toBe("");
    const ceiling = `[data-testid="param-${limiterId}-ceilingDbtp"] [role=slider]`;
    const before = await teacher.locator(ceiling).getAttribute("aria-valuenow");
    await ana.locator(ceiling).focus();
    await ana.keyboard.press("ArrowDown");
    await ana.keyboard.press("ArrowDown");
    const turned = await ana.locator(ceiling).getAttribute("aria-valuenow");
    expect(turned).not.toBe(before);
    const valueIs = "([s, v]) => document.querySelector(s)?.getAttribute('aria-valuenow') === v";
    const seen = await Promise.all([teacher, ben].map((page) => msUntil(page, valueIs, [ceiling, turned])));
    for (const ms of seen) expect(ms).toBeLessThan(1000);

    // Ben types an exact value; Ana and the teacher see it within a second.
    await ben.locator(`[data-testid="param-${limiterId}-ceilingDbtp"] button[aria-label^="Type a value"]`).click();
    const input = ben.getByTestId(`param-input-${limiterId}-ceilingDbtp`);
    await input.fill("-2.5");
    await input.press("Enter");
    for (const ms of await Promise.all([teacher, ana].map((page) => msUntil(page, valueIs, [ceiling, "-2.5"])))) {
      expect(ms).toBeLessThan(1000);
    }

    // Ana drags EQ band 3's node on the curve, up and to the right: its gain and frequency move, for
    // the teacher too, and the curve follows. The whole drag is one undo step.
    const eqId = (await ana.getByTestId("module-eq").getAttribute("data-module-id")) ?? "";
    const knob = (key: string) => `[data-testid="param-${eqId}-${key}"] [role=slider]`;
    const curveBefore = await teacher.getByTestId("eq-curve-mid").getAttribute("d");
    const node = ana.getByTestId("eq-node-3");
    await node.scrollIntoViewIfNeeded();
    const at = (await node.boundingBox())!;
    await ana.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await ana.mouse.down();
    await ana.mouse.move(at.x + at.width / 2 + 40, at.y + at.height / 2 - 30, { steps: 8 });
    await ana.mouse.up();
    const gain = Number(await ana.locator(knob("b3Gain")).getAttribute("aria-valuenow"));
    const freq = Number(await ana.locator(knob("b3Freq")).getAttribute("aria-valuenow"));
    expect(gain).toBeGreaterThan(3);
    expect(freq).toBeGreaterThan(500);
    for (const [key, v] of [
      ["b3Gain", gain],
      ["b3Freq", freq],
    ] as const) {
      expect(await msUntil(teacher, valueIs, [knob(key), String(v)])).toBeLessThan(1000);
    }
    expect(await teacher.getByTestId("eq-curve-mid").getAttribute("d")).not.toBe(curveBefore);
    await ana.getByRole("button", { name: "Undo" }).click();
    await msUntil(teacher, valueIs, [knob("b3Gain"), "0"]);
    expect(await ana.locator(knob("b3Gain")).getAttribute("aria-valuenow")).toBe("0");
    // The compressor's transfer curve follows its threshold, for everyone.
    const compId = (await ben.getByTestId("module-compressor").getAttribute("data-module-id")) ?? "";
    const curveD = "document.querySelector('[data-testid=compressor-curve-path]')?.getAttribute('d')";
    const compCurve = await teacher.evaluate(curveD);
    await ben.locator(`[data-testid="param-${compId}-thresholdDb"] [role=slider]`).focus();
    await ben.keyboard.press("PageDown");
    await msUntil(teacher, `(before) => ${curveD} !== before`, compCurve);
    expect(await ana.locator(knob("b3Freq")).getAttribute("aria-valuenow")).toBe("500");
    // The wheel over the node narrows the band (its Q); a double-click on it puts its gain back to 0 dB.
    const centre = async () => {
      const b = (await node.boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    let c = await centre();
    await ana.mouse.move(c.x, c.y);
    await ana.mouse.wheel(0, -100);
    await msUntil(teacher, "([s]) => Number(document.querySelector(s)?.getAttribute('aria-valuenow')) > 1", [
      knob("b3Q"),
    ]);
    await ana.mouse.down();
    await ana.mouse.move(c.x, c.y - 20, { steps: 4 });
    await ana.mouse.up();
    const raised = await ana.locator(knob("b3Gain")).getAttribute("aria-valuenow");
    expect(Number(raised)).toBeGreaterThan(2);
    await msUntil(teacher, valueIs, [knob("b3Gain"), raised]);
    c = await centre();
    await ana.mouse.dblclick(c.x, c.y);
    await msUntil(teacher, valueIs, [knob("b3Gain"), "0"]);
    await shot(ana, "11-desk-edited");

    // The teacher saves a version; the students see it in their lists.
    await teacher.getByTestId("version-label-input").fill("Lesson 1 — gentler limiter");
    await teacher.getByTestId("save-version").click();
    const row = (page: Page) => page.getByTestId("version-row").filter({ hasText: "Lesson 1 — gentler limiter" });
    await row(teacher)
      .waitFor()
      .catch(async (err) => {
        const alerts = (await teacher.getByRole("alert").allTextContents()).join(" | ") || "none";
        throw new Error(`the version was not saved (alerts on the page: ${alerts})\n${String(err)}\n${app.logs()}`);
      });
    await row(ana).waitFor({ timeout: 10_000 });
    await row(ben).waitFor({ timeout: 10_000 });

    // Ben comments at 0:05 on the waveform; Ana and the teacher see it appear.
    const wave = ben.getByTestId("comment-waveform");
    const box = await wave.boundingBox();
    if (!box) throw new Error("no waveform to comment on");
    await wave.click({ position: { x: (box.width * 5) / 12, y: box.height / 2 } });
    await ben.getByTestId("comment-input").fill("the limiter pumps here");
    await ben.getByTestId("comment-submit").click();
    for (const page of [teacher, ana]) {
      const comment = page.getByTestId("comment").filter({ hasText: "the limiter pumps here" });
      await comment.waitFor({ timeout: 10_000 });
      expect(await comment.textContent()).toContain("0:05");
      expect(await page.getByTestId("comment-marker").count()).toBe(1);
    }
    await shot(teacher, "12-desk-comment");

    // Ana renders the saved version.
    await row(ana).getByRole("button", { name: "Render…" }).click();
    await row(ana).getByTestId("render-version").click();
    expect(await renderOutcome(ana, app), app.logs()).toBe("Done");
    await shot(ana, "13-desk-version-rendered");

    // The export is that version: its job points at the saved chain, with Ben's ceiling, at its target.
    const db = await createDb(app.databaseUrl);
    try {
      const version = await db.version.findFirstOrThrow({ where: { label: "Lesson 1 — gentler limiter" } });
      const chain = parseChain(JSON.parse(version.chainJson));
      const saved = chain.modules.find((m) => m.type === "limiter");
      expect((saved?.params as Record<string, unknown> | undefined)?.ceilingDbtp).toBe(-2.5);
      const exported = await db.export.findFirstOrThrow({ where: { job: { versionId: version.id } } });
      const [download] = await Promise.all([
        ana.waitForEvent("download"),
        ana.getByRole("link", { name: "Download" }).first().click(),
      ]);
      const file = join(app.dir, "version.wav");
      await download.saveAs(file);
      const decoded = await decodeAudio(new Uint8Array(readFileSync(file)));
      const analysis = analyzeAudio(decoded.channelData, decoded.sampleRate);
      expect(Math.abs((analysis.integratedLufs ?? 0) - exported.integratedLufs)).toBeLessThan(0.1);
      const target = chain.modules.find((m) => m.type === "loudness")?.params as Record<string, unknown> | undefined;
      if (typeof target?.targetLufs === "number") {
        expect(Math.abs((analysis.integratedLufs ?? 0) - target.targetLufs)).toBeLessThanOrEqual(0.5);
      }
      expect(analysis.truePeakDbtp ?? 0).toBeLessThanOrEqual(-2.5 + 0.3);
    } finally {
      await db.$disconnect();
    }

    // Comments belong to a version: after a newer one is saved, Ben's comment is on the older one,
    // which the comments panel's version picker brings back (with its marker on the waveform).
    await teacher.getByTestId("version-label-input").fill("Lesson 2");
    await teacher.getByTestId("save-version").click();
    const benComment = ana.getByTestId("comment").filter({ hasText: "the limiter pumps here" });
    await ana.getByLabel("On version").waitFor({ timeout: 10_000 });
    await benComment.waitFor({ state: "detached", timeout: 10_000 });
    expect(await ana.getByTestId("comment-marker").count()).toBe(0);
    await ana.getByLabel("On version").selectOption({ label: "Lesson 1 — gentler limiter — Ms Rivera" });
    await benComment.waitFor({ timeout: 10_000 });
    expect(await ana.getByTestId("comment-marker").count()).toBe(1);
  }, 300_000);
});
