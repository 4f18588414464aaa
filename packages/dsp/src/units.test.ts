import { describe, expect, it } from "vitest";
import { dbToGain, gainToDb } from "./units";

describe("units", () => {
  it("converts between dB and amplitude ratio (20·log10)", () => {
    expect(dbToGain(0)).toBe(1);
    expect(dbToGain(-6.020599913279624)).toBeCloseTo(0.5, 12);
    expect(gainToDb(10)).toBeCloseTo(20, 12);
    expect(gainToDb(dbToGain(-23.4))).toBeCloseTo(-23.4, 12);
    expect(gainToDb(0)).toBe(Number.NEGATIVE_INFINITY);
  });
});
