#!/usr/bin/env node
// Stable entry for the `comaster` command: the bundle in dist/ is made by `pnpm build`.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write("comaster: the CLI is not built yet; run `pnpm build` first\n");
  process.exit(2);
}
await import(bundle.href);
