// Bundles the seed (src/seedMain.ts) into dist/seed.mjs, so `pnpm db:seed` runs with plain node:
// the generated Prisma clients import .ts files, which node cannot load. The workspace packages
// (@comaster/*, TypeScript sources) and zod are bundled; the npm dependencies of this package stay
// external and load from node_modules.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@comaster/"));

await build({
  absWorkingDir: pkgDir,
  entryPoints: ["src/seedMain.ts"],
  outfile: "dist/seed.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Some CommonJS dependencies call require() for Node built-ins; give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cmCreateRequire } from 'node:module'; const require = __cmCreateRequire(import.meta.url);",
  },
  external: [...external, "@prisma/client/*"],
  logLevel: "warning",
});
