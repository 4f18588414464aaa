import { describe, expect, it } from "vitest";
import { biquadMagnitude } from "./biquad";
import { kShelf, rlbHighPass } from "./kWeighting";
import { hz } from "./units";

const within = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);

describe("K-weighting coefficients (ITU-R BS.1770-4)", () => {
  it("reproduces Table 1 (pre-filter) at 48 kHz to 1e-6", () => {
    const c = kShelf(hz(48_000));
    within(c.b0, 1.53512485958697, 1e-6);
    within(c.b1, -2.69169618940638, 1e-6);
    within(c.b2, 1.19839281085285, 1e-6);
    within(c.a1, -1.69065929318241, 1e-6);
    within(c.a2, 0.73248077421585, 1e-6);
  });

  it("reproduces Table 2 (RLB high-pass) at 48 kHz to 1e-6", () => {
    const c = rlbHighPass(hz(48_000));
    expect([c.b0, c.b1, c.b2]).toEqual([1, -2, 1]);
    within(c.a1, -1.99004745483398, 1e-6);
    within(c.a2, 0.99007225036621, 1e-6);
  });

  it("gives the same response at 44.1 kHz as at 48 kHz below 10 kHz (bilinear redesign)", () => {
    for (const f of [20, 50, 100, 500, 1000, 2000, 5000, 10_000]) {
      const at = (fs: number) =>
        20 * Math.log10(biquadMagnitude(kShelf(hz(fs)), f, fs) * biquadMagnitude(rlbHighPass(hz(fs)), f, fs));
      within(at(44_100), at(48_000), 0.05);
    }
  });

  it("has about +0.69 dB of gain at 1 kHz, which the −0.691 of eq. 2 cancels", () => {
    const fs = 48_000;
    const g = biquadMagnitude(kShelf(hz(fs)), 1000, fs) * biquadMagnitude(rlbHighPass(hz(fs)), 1000, fs);
    within(20 * Math.log10(g), 0.691, 0.01);
  });

  it("refuses a sample rate below twice the shelf frequency", () => {
    expect(() => kShelf(hz(3000))).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
