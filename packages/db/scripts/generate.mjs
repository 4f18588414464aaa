// `pnpm --filter @comaster/db generate`: write the SQLite and PostgreSQL variants of
// prisma/schema.prisma into src/generated/ and run `prisma generate` on each, producing
// src/generated/sqlite and src/generated/postgresql (git-ignored; rebuilt by `build`).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROVIDERS, schemaVariant } from "./schema-engine.mjs";

const require = createRequire(import.meta.url);
const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../src/generated");
const prismaCli = path.join(path.dirname(require.resolve("prisma/package.json")), "build/index.js");

fs.mkdirSync(outDir, { recursive: true });
for (const provider of PROVIDERS) {
  const schemaFile = path.join(outDir, `${provider}.prisma`);
  fs.writeFileSync(schemaFile, schemaVariant(provider, `./${provider}`));
  fs.rmSync(path.join(outDir, provider), { recursive: true, force: true });
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schemaFile], {
    stdio: ["ignore", "inherit", "inherit"],
    // The CLI otherwise tries to download a native schema engine it does not need for generate.
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}
