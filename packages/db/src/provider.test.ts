import { describe, expect, it } from "vitest";
import { DbConfigError, providerFromUrl } from "./provider";

describe("providerFromUrl", () => {
  it("maps file: to SQLite and postgres URLs to PostgreSQL", () => {
    expect(providerFromUrl("file:./.data/comaster.db")).toBe("sqlite");
    expect(providerFromUrl("postgres://127.0.0.1:5432/test")).toBe("postgresql");
    expect(providerFromUrl("postgresql://u@h/db")).toBe("postgresql");
  });
  it("rejects other schemes with a coded error that names the scheme only (no credentials)", () => {
    const err = (() => {
      try {
        providerFromUrl("mysql://root:secret@h/db");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DbConfigError);
    expect((err as DbConfigError).code).toBe("UNSUPPORTED_URL");
    expect((err as Error).message).toContain('"mysql:"');
    expect((err as Error).message).not.toContain("secret");
  });
});
