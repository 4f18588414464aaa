// Bundles the preview's monitoring AudioWorklet (src/preview/monitor/monitorWorklet.ts: meters and
// "listen as", with the packages/dsp code it runs) into public/worklets/monitor-worklet.js, as
// build-worklet.mjs does for the chain: one self-contained, minified module script with a source map,
// loaded with `audioWorklet.addModule("/worklets/monitor-worklet.js")`. Never part of an export.
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const outfile = join(root, "public/worklets/monitor-worklet.js");

await build({
  absWorkingDir: root,
  entryPoints: ["src/preview/monitor/monitorWorklet.ts"],
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

const kib = (path) => `${(statSync(path).size / 1024).toFixed(1)} KiB`;
console.log(
  `monitor worklet: public/worklets/monitor-worklet.js ${kib(outfile)} (source map ${kib(`${outfile}.map`)})`,
);
