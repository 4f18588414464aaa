import { describe, expect, it } from "vitest";
import { framesToTick, GLIDE_TICK_FRAMES, glideTicks, ParamRamp } from "./paramRamp";

describe("ParamRamp", () => {
  it("glides linearly and lands exactly on the target; next() and fill() take the same steps", () => {
    const a = new ParamRamp(0.3);
    const b = new ParamRamp(0.3);
    for (const r of [a, b]) {
      r.setRampFrames(7);
      r.setTarget(1.1);
    }
    const filled = new Float64Array(10);
    a.fill(filled, 10);
    const stepped = Array.from({ length: 10 }, () => b.next());
    expect(Array.from(filled)).toEqual(stepped);
    expect(filled[5]).toBeCloseTo(0.3 + (0.8 * 6) / 7, 12);
    expect(filled[6]).toBe(1.1);
    expect(filled[9]).toBe(1.1);
    expect(a.moving).toBe(false);
  });

  it("a new target mid-glide continues from where the value stands; immediate jumps", () => {
    const r = new ParamRamp(0);
    r.setRampFrames(4);
    r.setTarget(1);
    r.next();
    r.setTarget(0);
    expect(r.next()).toBeCloseTo(0.25 - 0.25 / 4, 12);
    r.setTarget(5, true);
    expect(r.current).toBe(5);
    expect(r.moving).toBe(false);
  });

  it("ticks: 20 ms in whole ticks, and the frames to the next tick of a frame counter", () => {
    expect(glideTicks(48_000)).toBe(30);
    expect(glideTicks(44_100)).toBe(28);
    expect(framesToTick(0)).toBe(GLIDE_TICK_FRAMES);
    expect(framesToTick(GLIDE_TICK_FRAMES + 5)).toBe(GLIDE_TICK_FRAMES - 5);
  });
});
