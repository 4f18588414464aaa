// The classroom path end to end, in Debian's Chromium against the production build with a render
// worker running: a teacher signs up and creates a class; a student joins with the code and uploads a
// generated WAV; the teacher renders an MP3 at −14 LUFS; a fresh browser context opens the share link
// and downloads the file, whose loudness we measure with packages/dsp.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeAudio } from "@comaster/codecs";
import { analyzeAudio } from "@comaster/dsp";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { musicLike, writeWav24 } from "../../scripts/lib/wavWriter.mjs";
import { CHROMIUM_ARGS, findChromium, type RunningApp, renderOutcome, SCREENSHOT_DIR, signUp, startApp } from "./app";

const executablePath = findChromium("end-to-end tests");
const VIEWPORT = { width: 1366, height: 768 }; // a school Chromebook

describe.skipIf(!executablePath)("classroom end to end (Chromium, production build, render worker)", () => {
  let app: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startApp();
    browser = await chromium.launch({ executablePath: executablePath ?? undefined, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });

  it("teacher → class → student upload → MP3 render at −14 LUFS → public share link download", async () => {
    const teacherCtx = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    const studentCtx = await browser.newContext({ viewport: VIEWPORT });
    const teacher = await teacherCtx.newPage();
    const student = await studentCtx.newPage();
    try {
      // The landing page and sign-up.
      await teacher.goto(app.baseUrl);
      await shot(teacher, "01-landing");
      await signUp(teacher, app.baseUrl, "ms_rivera", "Ms Rivera");
      await expect(teacher.getByText("You are not in a class yet")).toBeTruthy();
      await shot(teacher, "02-classes-empty");

      // The teacher creates a class and reads its invite code.
      await teacher.getByLabel("Class name").fill("Year 11 Music");
      await teacher.getByRole("button", { name: "Create class" }).click();
      await teacher.waitForURL(/\/classes\/[^/]+$/);
      const code = (await teacher.getByTestId("invite-code").textContent())?.trim() ?? "";
      expect(code).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const classUrl = teacher.url();
      await shot(teacher, "03-class-teacher");

      // The student signs up, joins with the code, makes a project and uploads a mix.
      await signUp(student, app.baseUrl, "sam_k", "Sam K");
      await student.getByLabel("Invite code").fill(code);
      await student.getByRole("button", { name: "Join class" }).click();
      await student.waitForURL(classUrl);
      await student.getByLabel("New project").fill("First song");
      await student.getByRole("button", { name: "Create project" }).click();
      await student.waitForURL(/\/projects\/[^/]+$/);
      // A file that is not audio is refused with a readable message, before anything is sent.
      const notes = join(app.dir, "notes.wav");
      writeFileSync(notes, "These are my lyrics, not audio.\n".repeat(40));
      await student.getByLabel("Choose a mix to upload").setInputFiles(notes);
      const refusal = student.getByRole("alert").filter({ hasText: "notes.wav" });
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/upload WAV, AIFF, FLAC or MP3/);
      const mix = join(app.dir, "first-song-mix.wav");
      await writeWav24(mix, 44_100, 20, musicLike(44_100, 7));
      await student.getByLabel("Choose a mix to upload").setInputFiles(mix);
      const asset = student.getByTestId("asset");
      await asset.waitFor({ timeout: 60_000 });
      expect(await student.getByTestId("asset").count()).toBe(1);
      await expect(await asset.textContent()).toContain("first-song-mix.wav");
      const integrated = student.getByText("Integrated", { exact: true }).first().locator("..");
      expect(await integrated.textContent()).toMatch(/−\d+\.\d LUFS/);
      await student.getByRole("img", { name: /Waveform of first-song-mix\.wav/ }).waitFor();
      await shot(student, "04-project-uploaded");

      // The teacher opens the project and renders an MP3 at −14 LUFS.
      await teacher.reload();
      await teacher.getByRole("link", { name: /First song/ }).click();
      await teacher.waitForURL(/\/projects\/[^/]+$/);
      await teacher.getByLabel("Preset").selectOption("streaming");
      await teacher.getByLabel("Loudness target").selectOption("-14");
      await teacher.getByLabel("Format").selectOption("mp3");
      await teacher.getByRole("button", { name: "Render", exact: true }).click();
      const status = teacher.getByTestId("render-status").first();
      await status.waitFor();
      expect(await renderOutcome(teacher, app), app.logs()).toBe("Done");
      const measured = teacher.getByText("Measured", { exact: true }).first().locator("..");
      expect(await measured.textContent()).toMatch(/−14\.\d LUFS/);
      await shot(teacher, "05-project-rendered");

      // A share link, opened by someone without an account.
      await teacher.getByRole("button", { name: "Create share link" }).click();
      const link = teacher.getByTestId("share-link").first();
      await link.waitFor();
      const href = await link.getAttribute("href");
      expect(href).toMatch(/^\/s\/[A-Za-z0-9_-]{32}$/);

      const listenerCtx = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
      try {
        const listener = await listenerCtx.newPage();
        await listener.goto(`${app.baseUrl}${href}`);
        await listener.getByRole("heading", { name: "First song" }).waitFor();
        await shot(listener, "06-share-page");
        const [download] = await Promise.all([
          listener.waitForEvent("download"),
          listener.getByRole("link", { name: "Download" }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(/^First song - Streaming.*\.mp3$/);
        const file = join(app.dir, "download.mp3");
        await download.saveAs(file);
        const decoded = await decodeAudio(new Uint8Array(readFileSync(file)));
        const analysis = analyzeAudio(decoded.channelData, decoded.sampleRate);
        expect(analysis.integratedLufs).not.toBeNull();
        expect(Math.abs((analysis.integratedLufs ?? 0) + 14)).toBeLessThanOrEqual(0.5);
        expect(analysis.truePeakDbtp ?? 0).toBeLessThanOrEqual(-0.5);
      } finally {
        await listenerCtx.close();
      }

      // Turned off: the public page says so and the file is gone for the public.
      await teacher.getByRole("button", { name: /Turn off share link/ }).click();
      await teacher.getByTestId("share-link").waitFor({ state: "detached" });
      const gone = await fetch(`${app.baseUrl}${href}/file`.replace("/s/", "/api/share/"));
      expect(gone.status).toBe(404);
    } finally {
      await teacherCtx.close();
      await studentCtx.close();
    }
  }, 300_000);
});
