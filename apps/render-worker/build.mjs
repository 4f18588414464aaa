// Bundles the CLI into one ESM file with its dependencies (the decoders are JavaScript with their
// WebAssembly inlined), and the render worker process (dist/worker.js). libflacjs locates its own
// files at run time, so it stays external and loads from node_modules.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Chunk names carry a content hash: clear the old ones so they do not pile up build after build.
rmSync("dist/chunks", { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/bin.ts", stageWorker: "src/stageWorker.ts", worker: "src/main.ts" },
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
  // The database drivers load native or WebAssembly files at run time: they stay external too (the
  // generated Prisma client, TypeScript in @comaster/db, is bundled).
  external: ["libflacjs", "@prisma/adapter-libsql", "@prisma/adapter-pg", "@prisma/client", "@prisma/client/*", "pg"],
  logLevel: "warning",
});
