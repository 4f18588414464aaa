// Bundles the collaboration server (src/collab/main.ts) into dist/collab.mjs: its own Node process
// beside `next start` (Next's App Router cannot take WebSocket upgrades). The database drivers load
// native or WebAssembly files at run time, so they stay external, as in the render worker's bundle.
import { build } from "esbuild";

await build({
  entryPoints: { collab: "src/collab/main.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  banner: {
    js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
  },
  external: ["@prisma/adapter-libsql", "@prisma/adapter-pg", "@prisma/client", "@prisma/client/*", "pg", "libsql"],
  logLevel: "warning",
});
