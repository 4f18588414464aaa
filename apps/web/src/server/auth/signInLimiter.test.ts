import { describe, expect, it } from "vitest";
import { SignInLimiter } from "./signInLimiter";

const limits = { windowMs: 60_000, perPair: 3, perAccount: 5, perAddress: 10 };

function limiter() {
  let t = 1_000_000;
  const l = new SignInLimiter(limits, () => t);
  return { l, advance: (ms: number) => (t += ms) };
}

function fail(l: SignInLimiter, account: string, address: string) {
  const d = l.check(account, address);
  if (d.allowed) l.record(account, address, false);
  return d.allowed;
}

describe("SignInLimiter", () => {
  it("refuses an account at an address after perPair failures, until the window slides", () => {
    const { l, advance } = limiter();
    expect([1, 2, 3].map(() => fail(l, "ann", "10.0.0.1"))).toEqual([true, true, true]);
    const refused = l.check("ann", "10.0.0.1");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(60);
    advance(30_000);
    expect(l.check("ann", "10.0.0.1").retryAfterSeconds).toBe(30);
    advance(30_001);
    expect(l.check("ann", "10.0.0.1").allowed).toBe(true);
  });

  it("a class behind one address: one pupil's failures do not lock out the others", () => {
    const { l } = limiter();
    for (let i = 0; i < 3; i++) fail(l, "ann", "school");
    expect(l.check("ann", "school").allowed).toBe(false);
    for (const pupil of ["bob", "cat", "dan", "eve"]) {
      expect(l.check(pupil, "school").allowed).toBe(true);
      l.record(pupil, "school", true);
    }
  });

  it("counts an account's failures from all addresses (a distributed guess)", () => {
    const { l } = limiter();
    for (let i = 0; i < 5; i++) expect(fail(l, "ann", `10.0.0.${i}`)).toBe(true);
    expect(l.check("ann", "10.9.9.9").allowed).toBe(false);
    expect(l.check("bob", "10.9.9.9").allowed).toBe(true);
  });

  it("limits attempts per address over all accounts (a sweep of usernames)", () => {
    const { l } = limiter();
    for (let i = 0; i < 10; i++) expect(l.check(`user${i}`, "bad").allowed).toBe(true);
    expect(l.check("user99", "bad").allowed).toBe(false);
    expect(l.check("user99", "good").allowed).toBe(true);
  });

  it("a success clears the pair's failures; usernames are compared case-insensitively", () => {
    const { l } = limiter();
    fail(l, "Ann", "a");
    fail(l, "ann", "a");
    l.check("ANN", "a");
    l.record("ANN", "a", true);
    expect([1, 2, 3].map(() => fail(l, "ann", "a"))).toEqual([true, true, true]);
    expect(l.check("ann", "a").allowed).toBe(false);
  });
});
