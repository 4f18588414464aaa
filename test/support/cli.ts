import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const BIN = fileURLToPath(new URL("../../apps/render-worker/bin/comaster.js", import.meta.url));

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `comaster` CLI as a user would (the bundle made by `pnpm build`). */
export function comaster(args: readonly string[], timeoutMs = 60_000, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 256 << 20,
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
