// The click detector itself: quiet on a steady programme and on a glide, loud on an unsmoothed step,
// so that paramClicks.test.ts passing means something.
import { describe, expect, it } from "vitest";
import { ParamRamp } from "../processors/paramRamp";
import { CLICK_THRESHOLD, clickProgramme, measureClick } from "./clickDetector";

const RATE = 48_000;
const SPAN = 4096;
const CHANGE = 24_576;

/** The programme with its gain changed by `db` from frame `at`: at once, or over `glide` frames. */
function gainChange(db: number, at: number, glide = 0): Float32Array[] {
  const x = clickProgramme({ sampleRate: RATE, frames: at + 2 * SPAN + 64 });
  const ramp = new ParamRamp(1);
  ramp.setRampFrames(Math.max(1, glide));
  ramp.setTarget(10 ** (db / 20), glide === 0);
  const g = new Float64Array(x[0]!.length - at);
  ramp.fill(g, g.length);
  for (const c of x) for (let i = at; i < c.length; i++) c[i] = c[i]! * g[i - at]!;
  return x;
}

describe("click detector", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("scores a steady programme about 1 (seed %i)", (seed) => {
    const x = clickProgramme({ sampleRate: RATE, frames: CHANGE + 2 * SPAN, seed });
    expect(measureClick(x, CHANGE, SPAN).score).toBeLessThan(1.2);
  });

  it.each([0.5, 1, 6, -6, 24])(
    "flags an unsmoothed gain step of %d dB wherever it falls in the tone's period",
    (db) => {
      // 16 positions three frames apart: a 997 Hz period is 48 frames.
      let least = Number.POSITIVE_INFINITY;
      for (let k = 0; k < 16; k++)
        least = Math.min(least, measureClick(gainChange(db, CHANGE + 3 * k), CHANGE + 3 * k, SPAN).score);
      expect(least).toBeGreaterThan(Math.abs(db) >= 1 ? 2.5 * CLICK_THRESHOLD : CLICK_THRESHOLD);
    },
  );

  it.each([1, 6, -24, 24])("passes the same change of %d dB as a 20 ms linear glide", (db) => {
    expect(measureClick(gainChange(db, CHANGE, 960), CHANGE, SPAN).score).toBeLessThan(1.2);
  });

  it("treats NaN or infinite output as a click", () => {
    const x = clickProgramme({ sampleRate: RATE, frames: CHANGE + 2 * SPAN });
    x[1]![CHANGE + 100] = Number.NaN;
    expect(measureClick(x, CHANGE, SPAN).score).toBe(Number.POSITIVE_INFINITY);
  });
});
