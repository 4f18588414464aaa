// The preview's AudioWorklet bundles (apps/web/build-worklet.mjs → apps/web/public/worklets/), rebuilt
// for a test or bench when missing or older than the code they bundle.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const WEB = join(ROOT, "apps/web");

export const CHAIN_WORKLET = join(WEB, "public/worklets/chain-worklet.js");
export const MONITOR_WORKLET = join(WEB, "public/worklets/monitor-worklet.js");

/** The newest modification time of the TypeScript sources (not tests) under `dir`. */
function newest(dir) {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".test.ts"))
      .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs),
  );
}

/** Runs apps/web/build-worklet.mjs unless both bundles are newer than src/preview and packages/dsp. */
export function ensureWorklets(stdio = "pipe") {
  const sources = Math.max(newest(join(WEB, "src/preview")), newest(join(ROOT, "packages/dsp/src")));
  const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= sources;
  if (fresh(CHAIN_WORKLET) && fresh(MONITOR_WORKLET)) return;
  execFileSync(process.execPath, [join(WEB, "build-worklet.mjs")], { stdio });
}
