// The production build of the web app (`next start`), the collaboration server (dist/collab.mjs) and a
// render worker (dist/worker.js) on a
// throwaway SQLite database and storage folder, for end-to-end tests in Chromium.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../scripts/lib/chromium.mjs";
import { freePort } from "../../scripts/lib/freePort.mjs";
import { servicesRequired } from "../../scripts/lib/tools.mjs";
import { REPO } from "../support/cli";

/** Debian's Chromium (never a downloaded browser); null, loudly, when it is not installed. */
export function findChromium(suite: string): string | null {
  const found = chromiumPath();
  if (found) return found;
  const message = `${suite}: needs Chromium (apt-get install chromium)`;
  if (servicesRequired) throw new Error(`${message} — required because COMASTER_REQUIRE_SERVICES=1`);
  console.warn(`\n!!! SKIPPED ${message}\n`);
  return null;
}

export { CHROMIUM_ARGS };

export interface RunningApp {
  readonly baseUrl: string;
  readonly dir: string;
  readonly databaseUrl: string;
  logs(): string;
  stop(): Promise<void>;
}

/** Starts web + collaboration server + worker on a fresh database; waits until the web answers. */
export async function startApp(): Promise<RunningApp> {
  const nextBin = join(REPO, "apps/web/node_modules/next/dist/bin/next");
  if (!existsSync(join(REPO, "apps/web/.next/BUILD_ID"))) {
    throw new Error("apps/web has no production build: run `pnpm build` (pnpm test does) first");
  }
  const dir = mkdtempSync(join(tmpdir(), "comaster-e2e-"));
  const port = await freePort();
  const collabPort = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const databaseUrl = `file:${join(dir, "e2e.db")}`;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    COMASTER_STORAGE_DIR: join(dir, "storage"),
    COMASTER_BASE_URL: baseUrl,
    BETTER_AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e",
    PORT: String(port),
    COLLAB_PORT: String(collabPort),
    POLL_MS: "200",
  };
  execFileSync(process.execPath, [join(REPO, "packages/db/scripts/migrate.mjs")], { env, stdio: "pipe" });
  let out = "";
  const children: ChildProcess[] = [
    spawn(process.execPath, [nextBin, "start", "-p", String(port)], { cwd: join(REPO, "apps/web"), env }),
    spawn(process.execPath, [join(REPO, "apps/web/dist/collab.mjs")], { cwd: REPO, env }),
    spawn(process.execPath, [join(REPO, "apps/render-worker/dist/worker.js")], { cwd: REPO, env }),
  ];
  const names = ["web", "collaboration server", "render worker"];
  let stopping = false;
  for (const [i, c] of children.entries()) {
    c.stdout?.on("data", (d) => (out += d));
    c.stderr?.on("data", (d) => (out += d));
    // A process that dies under a test says so in the logs a failing test prints.
    c.on("exit", (code, signal) => {
      if (!stopping) out += `\n!!! the ${names[i]} exited (${signal ?? `code ${code}`}) while the test ran\n`;
    });
  }
  const end = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/sign-in`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > end) throw new Error(`the web app did not start:\n${out}`);
    if (children.some((c) => c.exitCode !== null)) throw new Error(`a process exited at start:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    dir,
    databaseUrl,
    logs: () => out,
    async stop() {
      stopping = true;
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.once("exit", () => resolve());
              c.kill("SIGTERM");
              setTimeout(() => c.kill("SIGKILL"), 10_000).unref();
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits (up to 2 minutes) until the page's first render says Done or Failed, and returns what it says.
 * A render that does not finish fails with its status and what the app's processes printed.
 */
export async function renderOutcome(page: Page, app: RunningApp): Promise<string | null> {
  const status = page.getByTestId("render-status").first();
  await page
    .waitForFunction(
      "document.querySelector('[data-testid=render-status]')?.textContent?.match(/Done|Failed/)",
      undefined,
      { timeout: 120_000, polling: 250 },
    )
    .catch(async (err) => {
      const text = await status.textContent().catch(() => "(unreadable)");
      throw new Error(`the render did not finish: status "${text}"\n${String(err)}\n${app.logs()}`);
    });
  return status.textContent();
}

/** Where the e2e run leaves its screenshots (named in the README). */
export const SCREENSHOT_DIR = join(REPO, "test-results", "screenshots");

/** Creates an account through the sign-up page (password `<username>-password`); ends on /classes. */
export async function signUp(page: Page, baseUrl: string, username: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Your name (shown to your class)").fill(name);
  await page.getByLabel("Password").fill(`${username}-password`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(/\/classes$/);
}

/** The teacher creates a class from the classes page; returns its invite code (the page is on the class). */
export async function createClass(teacher: Page, name: string): Promise<string> {
  await teacher.getByLabel("Class name").fill(name);
  await teacher.getByRole("button", { name: "Create class" }).click();
  await teacher.waitForURL(/\/classes\/[^/]+$/);
  return (await teacher.getByTestId("invite-code").textContent())?.trim() ?? "";
}

/** A student joins with the invite code and lands on the class page at `classUrl`. */
export async function joinClass(student: Page, code: string, classUrl: string): Promise<void> {
  await student.getByLabel("Invite code").fill(code);
  await student.getByRole("button", { name: "Join class" }).click();
  await student.waitForURL(classUrl);
}
