import { describe, expect, it } from "vitest";
import { energyToLoudness, integratedLoudness, loudnessRange } from "./gating";

/** Energy z giving loudness l: inverse of BS.1770-4 eq. 2. */
const z = (l: number) => 10 ** ((l + 0.691) / 10);

describe("integratedLoudness (BS.1770-4 §2.8)", () => {
  it("is the energy mean of the blocks above both gates", () => {
    // −80 fails the absolute gate; mean of the rest (−20, −20, −40) is −24.7, so the relative gate is
    // −34.7 and drops −40: the result is −20.
    expect(integratedLoudness(Float64Array.from([z(-80), z(-20), z(-20), z(-40)]))).toBeCloseTo(-20, 10);
  });

  it("averages energies, not decibels", () => {
    const expected = energyToLoudness((z(-20) + z(-26)) / 2);
    expect(integratedLoudness(Float64Array.from([z(-20), z(-26)]))).toBeCloseTo(expected, 10);
  });

  it("is null when nothing passes the absolute gate (−70 LKFS, strict)", () => {
    expect(integratedLoudness(Float64Array.from([0, z(-75), z(-70)]))).toBeNull();
    expect(integratedLoudness(new Float64Array(0))).toBeNull();
  });
});

describe("loudnessRange (EBU Tech 3342)", () => {
  it("is the 95th minus the 10th percentile of the gated short-term values", () => {
    // 100 values −40 … −21 LUFS (5 each) plus some far below the relative gate.
    const values = Array.from({ length: 100 }, (_, i) => -40 + Math.floor(i / 5));
    const e = Float64Array.from([...values, -90, -65, -65].map(z));
    // Nearest rank round(99·0.1) = 10 → −38; round(99·0.95) = 94 → −22.
    expect(loudnessRange(e)).toBeCloseTo(16, 10);
  });

  it("is 0 for a constant programme and null for silence", () => {
    expect(loudnessRange(Float64Array.from([z(-23), z(-23), z(-23)]))).toBeCloseTo(0, 12);
    expect(loudnessRange(new Float64Array(10))).toBeNull();
  });
});
