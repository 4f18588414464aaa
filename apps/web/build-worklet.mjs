// Bundles the preview's AudioWorklet (src/preview/chainWorklet.ts, with the packages/dsp code it runs)
// into public/worklets/chain-worklet.js: one self-contained, minified module script with a source map,
// which the browser loads with `audioWorklet.addModule("/worklets/chain-worklet.js")`.
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const outfile = join(root, "public/worklets/chain-worklet.js");

await build({
  absWorkingDir: root,
  entryPoints: ["src/preview/chainWorklet.ts"],
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
console.log(`worklet: public/worklets/chain-worklet.js ${kib(outfile)} (source map ${kib(`${outfile}.map`)})`);
