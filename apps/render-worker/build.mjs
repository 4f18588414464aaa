// Bundles the CLI into one ESM file with its dependencies (the decoders are JavaScript with their
// WebAssembly inlined). libflacjs locates its own files at run time, so it stays external and
// loads from node_modules.
import { build } from "esbuild";

await build({
  entryPoints: { cli: "src/bin.ts", stageWorker: "src/stageWorker.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
  },
  external: ["libflacjs"],
  logLevel: "warning",
});
