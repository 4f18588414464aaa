import { describe, expect, it } from "vitest";
import { ChainError } from "./errors.ts";
import {
  applyMigrations,
  CHAIN_MIGRATIONS,
  type ChainDocument,
  CURRENT_SCHEMA_VERSION,
  type Migration,
  migrateChain,
} from "./migrate.ts";

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof ChainError) return e.code;
    throw e;
  }
  return "OK";
};

describe("migrateChain", () => {
  it("is at version 1 with no steps yet", () => {
    expect(CURRENT_SCHEMA_VERSION).toBe(1);
    expect(CHAIN_MIGRATIONS).toEqual([]);
  });

  it("passes a current document through as a copy", () => {
    const doc = { schemaVersion: 1, modules: [] };
    const out = migrateChain(doc);
    expect(out).toEqual(doc);
    expect(out).not.toBe(doc);
  });

  it("refuses unknown versions and non-documents", () => {
    expect(codeOf(() => migrateChain({ schemaVersion: 2, modules: [] }))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => migrateChain({ schemaVersion: 0 }))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => migrateChain({ schemaVersion: -1 }))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => migrateChain({ schemaVersion: 1.5 }))).toBe("INVALID_CHAIN");
    expect(codeOf(() => migrateChain({}))).toBe("INVALID_CHAIN");
    expect(codeOf(() => migrateChain(null))).toBe("INVALID_CHAIN");
    expect(codeOf(() => migrateChain([1]))).toBe("INVALID_CHAIN");
  });
});

describe("applyMigrations (how version 2 and 3 will plug in)", () => {
  // v2 renames `modules` to `stages`; v3 adds a `name`.
  const toV2: Migration = {
    from: 1,
    to: 2,
    description: "rename modules to stages",
    up: ({ modules, ...rest }) => ({ ...rest, stages: modules, schemaVersion: 2 }),
  };
  const toV3: Migration = {
    from: 2,
    to: 3,
    description: "add a name",
    up: (doc) => ({ ...doc, name: "untitled", schemaVersion: 3 }),
  };
  const steps = [toV2, toV3];

  it("runs every step from the document's version up to the target", () => {
    const v1 = { schemaVersion: 1, modules: ["m"] };
    expect(applyMigrations(v1, steps, 3)).toEqual({ schemaVersion: 3, stages: ["m"], name: "untitled" });
    expect(applyMigrations({ schemaVersion: 2, stages: [] }, steps, 3)).toEqual({
      schemaVersion: 3,
      stages: [],
      name: "untitled",
    });
    expect(applyMigrations({ schemaVersion: 3, stages: [], name: "x" }, steps, 3)).toEqual({
      schemaVersion: 3,
      stages: [],
      name: "x",
    });
    expect(v1).toEqual({ schemaVersion: 1, modules: ["m"] });
  });

  it("stops at the target and sets the version even if a step forgets to", () => {
    const forgetful: Migration = { ...toV2, up: (doc) => ({ ...doc }) as ChainDocument };
    expect(applyMigrations({ schemaVersion: 1 }, [forgetful], 2)).toEqual({ schemaVersion: 2 });
  });

  it("refuses versions outside the known range", () => {
    expect(codeOf(() => applyMigrations({ schemaVersion: 4 }, steps, 3))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => applyMigrations({ schemaVersion: 0 }, steps, 3))).toBe("UNSUPPORTED_VERSION");
  });

  it("detects a broken list of steps (a programming error, not bad input)", () => {
    expect(() => applyMigrations({ schemaVersion: 1 }, [toV3], 3)).toThrow(/never existed/);
    expect(() => applyMigrations({ schemaVersion: 1 }, [toV2], 3)).toThrow(/end at 2, expected 3/);
    expect(() => applyMigrations({ schemaVersion: 1 }, [{ ...toV2, to: 3 }], 3)).toThrow(/exactly one version/);
  });
});
