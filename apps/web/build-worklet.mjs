// Bundles the preview's AudioWorklets, each with the packages/dsp code it runs, into public/worklets/:
// - chain-worklet.js from src/preview/chainWorklet.ts (the mastering chain, as the export runs it);
// - monitor-worklet.js from src/preview/monitor/monitorWorklet.ts (meters and "listen as"; never part
//   of an export).
// Each is one self-contained, minified module script with a source map, which the browser loads with
// `audioWorklet.addModule("/worklets/<name>.js")`.
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const WORKLETS = [
  { entry: "src/preview/chainWorklet.ts", out: "public/worklets/chain-worklet.js" },
  { entry: "src/preview/monitor/monitorWorklet.ts", out: "public/worklets/monitor-worklet.js" },
];

const kib = (path) => `${(statSync(path).size / 1024).toFixed(1)} KiB`;
for (const { entry, out } of WORKLETS) {
  const outfile = join(root, out);
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    // addModule loads a module script; the bundle has no imports or exports left.
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: true,
    logLevel: "warning",
  });
  console.log(`worklet: ${out} ${kib(outfile)} (source map ${kib(`${outfile}.map`)})`);
}
