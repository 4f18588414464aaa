import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSqlite, postgresReachable, runScript, scriptsDir } from "./test-databases";

// db:diff needs PostgreSQL: its engine connects to a server even to diff two schema files.
const pgUp = await postgresReachable();
if (!pgUp) {
  if (process.env.COMASTER_REQUIRE_SERVICES === "1") {
    throw new Error("PostgreSQL is not reachable and COMASTER_REQUIRE_SERVICES=1");
  }
  console.warn("⚠ PostgreSQL is not reachable on 127.0.0.1:5432: SKIPPING the db:diff tests");
}

const repoPrisma = path.join(scriptsDir, "../../../prisma");
const listMigrations = (dir: string, provider: string) =>
  fs
    .readdirSync(path.join(dir, "migrations", provider), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe.skipIf(!pgUp)("db:diff", () => {
  let dir: string;
  beforeAll(() => {
    // Work on a copy: the test must never write into the repo's prisma/ folder.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "comaster-prisma-"));
    fs.cpSync(path.join(repoPrisma, "schema.prisma"), path.join(dir, "schema.prisma"));
    fs.cpSync(path.join(repoPrisma, "migrations"), path.join(dir, "migrations"), { recursive: true });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes no migration when the schema is unchanged", async () => {
    const before = ["sqlite", "postgresql"].map((p) => listMigrations(dir, p));
    const out = await runScript("diff.mjs", ["noop"], { COMASTER_PRISMA_DIR: dir });
    expect(out).toContain("no changes");
    expect(["sqlite", "postgresql"].map((p) => listMigrations(dir, p))).toEqual(before);
  }, 30_000);

  it("writes one migration per provider for a change, and migrate applies it", async () => {
    const schemaFile = path.join(dir, "schema.prisma");
    fs.writeFileSync(
      schemaFile,
      fs.readFileSync(schemaFile, "utf8").replace("model Class {", "model Class {\n  archived Boolean @default(false)"),
    );
    const out = await runScript("diff.mjs", ["add_archived"], { COMASTER_PRISMA_DIR: dir });
    for (const provider of ["sqlite", "postgresql"]) {
      const latest = listMigrations(dir, provider).at(-1)!;
      expect(latest).toMatch(/^\d{14}_add_archived$/);
      expect(fs.readFileSync(path.join(dir, "migrations", provider, latest, "migration.sql"), "utf8")).toContain(
        "archived",
      );
    }
    expect(out).not.toContain("no changes");
    const again = await runScript("diff.mjs", ["noop"], { COMASTER_PRISMA_DIR: dir });
    expect(again).toContain("no changes");

    const tdb = await freshSqlite();
    try {
      const applied = await runScript("migrate.mjs", [], { COMASTER_PRISMA_DIR: dir, DATABASE_URL: tdb.url });
      expect(applied).toMatch(/applied: .*_init, .*_add_archived/);
    } finally {
      await tdb.drop();
    }
  }, 30_000);
});
