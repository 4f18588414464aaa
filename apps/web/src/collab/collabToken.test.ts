import { describe, expect, it } from "vitest";
import { type CollabIdentity, signCollabToken, verifyCollabToken } from "./collabToken";
import { TokenBucket } from "./tokenBucket";

const SECRET = "unit-test-secret-0123456789";
const alice: CollabIdentity = { userId: "u1", projectId: "p1", role: "editor", name: "Alice", color: "#f00" };

describe("collaboration tokens", () => {
  it("round-trips the identity until it expires", () => {
    const now = 1_700_000_000_000;
    const token = signCollabToken(alice, SECRET, 60, now);
    expect(verifyCollabToken(token, SECRET, now)).toEqual({ ok: true, claims: { ...alice, exp: now / 1000 + 60 } });
    expect(verifyCollabToken(token, SECRET, now + 60_000)).toEqual({ ok: false, reason: "EXPIRED" });
  });

  it("refuses another secret, a changed payload and garbage", () => {
    const token = signCollabToken(alice, SECRET, 60);
    expect(verifyCollabToken(token, "another-secret-0123456789")).toEqual({ ok: false, reason: "BAD_SIGNATURE" });
    const [, signature] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...alice, role: "editor", userId: "u2", exp: 9e9 })).toString(
      "base64url",
    );
    expect(verifyCollabToken(`${forged}.${signature}`, SECRET)).toEqual({ ok: false, reason: "BAD_SIGNATURE" });
    for (const bad of ["", "x", "a.b.c", "."]) expect(verifyCollabToken(bad, SECRET).ok).toBe(false);
  });
});

describe("TokenBucket", () => {
  it("allows a burst, then the refill rate", () => {
    let t = 0;
    const bucket = new TokenBucket(10, 3, () => t);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    t = 100; // 100 ms at 10/s: one token
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
  });
});
