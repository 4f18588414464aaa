import { describe, expect, it } from "vitest";
import { SpectrumBallistics } from "./spectrumBallistics";

const reading = (db: number, bands = 3) => Array<number>(bands).fill(db);

describe("SpectrumBallistics", () => {
  it("rises at once and falls at its rate in audio time", () => {
    const b = new SpectrumBallistics({ fallDbPerS: 20 });
    b.push(reading(-20));
    expect(b.levels).toEqual(reading(-20));
    // Silence for 0.25 s in five readings: 5 dB lower, not at the floor.
    for (let k = 0; k < 5; k++) b.push(reading(Number.NEGATIVE_INFINITY), 0.05);
    expect(b.levels[0]).toBeCloseTo(-25, 9);
    // A louder reading jumps straight up again.
    b.push(reading(-6));
    expect(b.levels[0]).toBe(-6);
  });

  it("holds each peak line, then lets it fall, never below the level", () => {
    const b = new SpectrumBallistics({ fallDbPerS: 24, peakHoldS: 1, peakFallDbPerS: 10 });
    b.push([-10, -40]);
    for (let k = 0; k < 20; k++) b.push([-60, -40], 0.05); // 1 s: the hold is just over
    expect(b.peaks[0]).toBeCloseTo(-10, 9);
    expect(b.levels[0]).toBeCloseTo(-34, 9); // −10 − 24 dB/s × 1 s
    for (let k = 0; k < 10; k++) b.push([-60, -40], 0.05); // 0.5 s of falling at 10 dB/s
    expect(b.peaks[0]).toBeCloseTo(-15, 9);
    // The band that stayed put keeps its peak on its level.
    expect(b.peaks[1]).toBe(-40);
    expect(b.levels[1]).toBe(-40);
    // A long silence: the level reaches the floor, the peak never goes under the level.
    for (let k = 0; k < 200; k++) b.push([Number.NEGATIVE_INFINITY, -40], 0.05);
    expect(b.levels[0]).toBe(b.floorDb);
    expect(b.peaks[0]).toBe(b.floorDb);
  });

  it("counts only the part of a reading past the hold", () => {
    const b = new SpectrumBallistics({ peakHoldS: 1, peakFallDbPerS: 10, fallDbPerS: 100 });
    b.push([0]);
    b.push([-90], 1.2); // 0.2 s of this reading is past the hold
    expect(b.peaks[0]).toBeCloseTo(-2, 9);
  });

  it("keeps below-floor and silent bands at the floor and starts afresh on another band count", () => {
    const b = new SpectrumBallistics({ floorDb: -60 });
    b.push([-100, Number.NEGATIVE_INFINITY, Number.NaN]);
    expect(b.levels).toEqual([-60, -60, -60]);
    b.push([-10, -10, -10]);
    b.push([-10, -10]);
    expect(b.levels).toEqual([-10, -10]);
    expect(b.peaks).toEqual([-10, -10]);
    b.reset();
    expect(b.levels).toEqual([-60, -60]);
  });
});
