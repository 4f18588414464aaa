// The web server's settings, read in one place. Defaults match the render worker's
// (apps/render-worker/src/env.ts): the repo's `.data/comaster.db` and `.data/storage`.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface WebEnv {
  readonly databaseUrl: string;
  readonly storageDir: string;
  /** Scratch space for uploads in flight (removed whatever happens). */
  readonly tmpDir: string;
  /** Public origin of the site, e.g. http://localhost:3000 (share links and the Origin check). */
  readonly baseUrl: string;
  /** Extra origins allowed to post (comma-separated COMASTER_TRUSTED_ORIGINS). */
  readonly trustedOrigins: readonly string[];
  readonly authSecret: string;
  /** Signs collaboration tokens; the collaboration server verifies with the same (COLLAB_SECRET, else the auth secret). */
  readonly collabSecret: string;
  /** Port of the collaboration server (COLLAB_PORT, default 3001). */
  readonly collabPort: number;
  /** Public WebSocket base of the collaboration server (COMASTER_COLLAB_URL); null: the page's host on `collabPort`. */
  readonly collabUrl: string | null;
  readonly production: boolean;
}

/** The repository root: the nearest folder up from `start` holding pnpm-workspace.yaml. */
export function findRepoRoot(start = process.cwd()): string {
  // (turbopackIgnore: a runtime lookup, not a file the bundle needs.)
  let dir = path.resolve(/*turbopackIgnore: true*/ start);
  for (;;) {
    if (existsSync(/*turbopackIgnore: true*/ path.join(dir, "pnpm-workspace.yaml"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(/*turbopackIgnore: true*/ start);
    dir = up;
  }
}

type Source = Readonly<Record<string, string | undefined>>;

export function readWebEnv(source: Source = process.env, repoRoot = findRepoRoot()): WebEnv {
  const get = (name: string) => source[name]?.trim() || undefined;
  const dataDir = path.join(repoRoot, ".data");
  const databaseUrl = get("DATABASE_URL") ?? `file:${path.join(dataDir, "comaster.db")}`;
  const storageDir = path.resolve(repoRoot, get("COMASTER_STORAGE_DIR") ?? path.join(".data", "storage"));
  const tmpDir = path.join(storageDir, "incoming");
  const port = get("PORT") ?? "3000";
  const baseUrl = (get("COMASTER_BASE_URL") ?? `http://localhost:${port}`).replace(/\/+$/, "");
  const trustedOrigins = [
    baseUrl,
    `http://127.0.0.1:${port}`,
    `http://localhost:${port}`,
    ...(get("COMASTER_TRUSTED_ORIGINS")
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean) ?? []),
  ];
  const authSecret = get("BETTER_AUTH_SECRET") ?? localSecret(dataDir);
  return {
    databaseUrl,
    storageDir,
    tmpDir,
    baseUrl,
    trustedOrigins: [...new Set(trustedOrigins)],
    authSecret,
    collabSecret: get("COLLAB_SECRET") ?? authSecret,
    collabPort: Number(get("COLLAB_PORT") ?? 3001),
    collabUrl: get("COMASTER_COLLAB_URL")?.replace(/\/+$/, "") ?? null,
    production: source.NODE_ENV === "production",
  };
}

/**
 * The embedded default needs no configuration: a random secret is made once and kept in `.data/`
 * (sessions survive restarts). Deployments set BETTER_AUTH_SECRET.
 */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}
