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
      stallMs: 300_000,
      retryBackoff: { baseMs: 5_000, capMs: 300_000 },
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
        STALL_MS: "4000",
        RETRY_BASE_MS: "200",
        RETRY_CAP_MS: "800",
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
      stallMs: 4000,
      retryBackoff: { baseMs: 200, capMs: 800 },
    });
  });

  it.each([
    [{ LEASE_MS: "soon" }, /LEASE_MS must be a whole number/],
    [{ POLL_MS: "0" }, /POLL_MS/],
    [{ LEASE_MS: "1000", HEARTBEAT_MS: "1000" }, /HEARTBEAT_MS \(1000\) must be less than LEASE_MS/],
    [{ LEASE_MS: "3000", HEARTBEAT_MS: "1000", STALL_MS: "1000" }, /STALL_MS \(1000\) must be more than HEARTBEAT_MS/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must start with/],
    [{ RETRY_BASE_MS: "1000", RETRY_CAP_MS: "999" }, /RETRY_CAP_MS \(999\) must not be less than RETRY_BASE_MS/],
  ])("rejects %o", (source, message) => {
    expect(() => readEnv(source, "/repo")).toThrow(EnvError);
    expect(() => readEnv(source, "/repo")).toThrow(message);
  });
});
