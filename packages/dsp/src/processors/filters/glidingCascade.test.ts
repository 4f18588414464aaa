import { describe, expect, it } from "vitest";
import { CLICK_THRESHOLD, clickProgramme, measureClick } from "../../chain/clickDetector";
import { GLIDE_TICK_FRAMES, glideTicks } from "../paramRamp";
import { designEqSection } from "./eqSection";
import { GlidingCascade } from "./glidingCascade";
import { runSection, SECTION_COEFS } from "./section";

const FS = 48_000;
const TICK = GLIDE_TICK_FRAMES;

/** A bell of `gainDb` at `f0` into `out` at section `k`. */
const bell = (out: Float64Array, k: number, f0: number, gainDb = 12) =>
  designEqSection(out, k * SECTION_COEFS, "bell", FS, f0, gainDb, 1);

/** Runs `cascade` on chain 0 over `x` (Float64, in place) in runs of one tick, calling `onTick` at each. */
function drive(cascade: GlidingCascade, x: Float64Array, onTick: (tick: number) => void): void {
  const buf = new Float64Array(TICK);
  for (let t = 0; t * TICK < x.length; t++) {
    cascade.tick();
    onTick(t);
    const n = Math.min(TICK, x.length - t * TICK);
    cascade.beginRun(n);
    for (let i = 0; i < n; i++) buf[i] = x[t * TICK + i]!;
    cascade.run(0, buf, n);
    for (let i = 0; i < n; i++) x[t * TICK + i] = buf[i]!;
    cascade.endRun(n);
  }
}

describe("GlidingCascade", () => {
  const input = Float64Array.from(clickProgramme({ sampleRate: FS, frames: 40_000 })[0]!);

  it("settled, runs exactly the plain cascade of its sections", () => {
    const c = new GlidingCascade(2, 1);
    c.prepare(FS);
    c.set(2, 1);
    bell(c.coefs, 0, 300);
    bell(c.coefs, 1, 3000, -6);
    const a = input.slice();
    drive(c, a, () => {});
    const b = input.slice();
    const state = new Float64Array(4);
    runSection(b, b.length, c.coefs, 0, state, 0);
    runSection(b, b.length, c.coefs, SECTION_COEFS, state, 2);
    expect(a).toEqual(b);
  });

  it("a glide lands exactly on the next design one tick later", () => {
    const c = new GlidingCascade(1, 1);
    c.prepare(FS);
    c.set(1, 1);
    bell(c.coefs, 0, 300);
    const x = input.slice(0, 3 * TICK);
    drive(c, x, (t) => {
      if (t !== 1) return;
      bell(c.next, 0, 320);
      c.glide();
    });
    const want = new Float64Array(SECTION_COEFS);
    bell(want, 0, 320);
    c.tick();
    expect(c.coefs).toEqual(want);
    expect(c.busy).toBe(false);
  });

  it("a switch ends on the new structure's output exactly, from zero state", () => {
    const c = new GlidingCascade(1, 1);
    c.prepare(FS);
    c.set(1, 1);
    bell(c.coefs, 0, 300);
    const at = 10 * TICK;
    const x = input.slice(0, at + 2 * glideTicks(FS) * TICK);
    drive(c, x, (t) => {
      if (t !== 10) return;
      c.beginSwitch(1, 1, false);
      designEqSection(c.coefs, 0, "lowPass", FS, 2000, 0, 0.7);
    });
    // The new section alone, from zero state at the switch.
    const ref = input.slice(at, x.length);
    const coefs = new Float64Array(SECTION_COEFS);
    designEqSection(coefs, 0, "lowPass", FS, 2000, 0, 0.7);
    runSection(ref, ref.length, coefs, 0, new Float64Array(2), 0);
    const end = glideTicks(FS) * TICK;
    expect(x.subarray(at + end)).toEqual(ref.subarray(end));
    expect(x[at + end - 1]).toBe(ref[end - 1]);
  });

  it("an abrupt coefficient change clicks; glided over 20 ms, or crossfaded, it does not", () => {
    // A +12 dB high shelf moved from 100 Hz to 10 kHz: the tone drops by 12 dB.
    const at = 24_576;
    const shelf = (out: Float64Array, f0: number) => designEqSection(out, 0, "highShelf", FS, f0, 12, 0.7);
    const sweep = (mode: "jump" | "glide" | "switch") => {
      const c = new GlidingCascade(1, 1);
      c.prepare(FS);
      c.set(1, 1);
      shelf(c.coefs, 100);
      const x = input.slice();
      const steps = glideTicks(FS);
      drive(c, x, (t) => {
        const k = t - at / TICK;
        if (k < 0) return;
        if (mode === "jump" && k === 0) shelf(c.coefs, 10_000);
        if (mode === "switch" && k === 0) {
          c.beginSwitch(1, 1, true);
          shelf(c.coefs, 10_000);
        }
        if (mode === "glide" && k < steps) {
          shelf(c.next, 100 * 100 ** ((k + 1) / steps));
          c.glide();
        }
      });
      return measureClick([x], at, 4096).score;
    };
    expect(sweep("jump")).toBeGreaterThan(2 * CLICK_THRESHOLD);
    expect(sweep("glide")).toBeLessThan(1.2);
    expect(sweep("switch")).toBeLessThan(1.2);
  });
});
