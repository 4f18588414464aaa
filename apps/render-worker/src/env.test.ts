import { describe, expect, it } from "vitest";
import { EnvError, readEnv } from "./env";

describe("readEnv", () => {
  it("defaults to the repo's .data folder and a hostname-pid worker id", () => {
    const env = readEnv({}, "/repo", 42);
    expect(env).toMatchObject({
      databaseUrl: "file:/repo/.data/comaster.db",
      storageDir: "/repo/.data/storage",
      leaseMs: 30_000,
      heartbeatMs: 10_000,
      pollMs: 1_000,
    });
    expect(env.workerId).toMatch(/-42$/);
  });

  it("reads every variable", () => {
    const env = readEnv(
      {
        DATABASE_URL: "postgres://u@h/db",
        COMASTER_STORAGE_DIR: "/s",
        WORKER_ID: "w1",
        LEASE_MS: "1500",
        HEARTBEAT_MS: "500",
        POLL_MS: "100",
      },
      "/repo",
    );
    expect(env).toEqual({
      databaseUrl: "postgres://u@h/db",
      storageDir: "/s",
      workerId: "w1",
      leaseMs: 1500,
      heartbeatMs: 500,
      pollMs: 100,
    });
  });

  it.each([
    [{ LEASE_MS: "soon" }, /LEASE_MS must be a whole number/],
    [{ POLL_MS: "0" }, /POLL_MS/],
    [{ LEASE_MS: "1000", HEARTBEAT_MS: "1000" }, /HEARTBEAT_MS \(1000\) must be less than LEASE_MS/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with/],
  ])("rejects %o", (source, message) => {
    expect(() => readEnv(source, "/repo")).toThrow(EnvError);
    expect(() => readEnv(source, "/repo")).toThrow(message);
  });
});
