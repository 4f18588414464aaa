import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGER_PARAMS, type ImagerParams, ImagerProcessor } from "./imager";
import { blockSizeRuns, dftMagnitude, impulse, logFrequencies, randomBlock, toDb } from "./testSupport";

const FS = 48_000;
const spec = { sampleRate: FS, channels: 2, maxBlockFrames: 8192 };

function imager(overrides: Partial<ImagerParams>, channels = 2): ImagerProcessor {
  const p = new ImagerProcessor({ ...DEFAULT_IMAGER_PARAMS, ...overrides });
  p.prepare({ ...spec, channels });
  return p;
}

function processCopy(p: ImagerProcessor, input: readonly Float32Array[]): Float32Array[] {
  const out = input.map((c) => c.slice());
  p.process(out, out[0]!.length);
  return out;
}

/** L = a·sin, R = b·sin at `frequency`, 1 s. */
function sine(frequency: number, a: number, b: number): Float32Array[] {
  const x = Float32Array.from({ length: FS }, (_, n) => Math.sin((2 * Math.PI * frequency * n) / FS));
  return [x.map((v) => a * v), x.map((v) => b * v)];
}

/** RMS of the side signal (L−R)/2 over the second half (after the filters settled). */
function sideRms(block: readonly Float32Array[]): number {
  let e = 0;
  const [l, r] = block as [Float32Array, Float32Array];
  for (let i = l.length / 2; i < l.length; i++) e += ((l[i]! - r[i]!) / 2) ** 2;
  return Math.sqrt(e / (l.length / 2));
}

/** Impulse responses of L and R for an impulse on L only (Float64, so the measurement is exact). */
function leftImpulse(p: ImagerProcessor, frames = 1 << 15): Float64Array[] {
  const out = [impulse(frames), new Float64Array(frames)];
  p.process(out, frames);
  return out;
}

describe("ImagerProcessor", () => {
  it("with every width at 100 % and mono below off, output equals input exactly", () => {
    const input = randomBlock(5000);
    expect(processCopy(imager({}), input)).toEqual(input);
    expect(processCopy(imager({ lowCrossoverHz: 90, highCrossoverHz: 9000 }), input)).toEqual(input);
  });

  it("width 0 makes L == R (the mid), width 200 doubles the side", () => {
    const input = randomBlock(3000);
    const mono = processCopy(imager({ widthPct: 0 }), input);
    expect(mono[0]).toEqual(mono[1]);
    for (let i = 0; i < 3000; i++) expect(mono[0]![i]).toBeCloseTo((input[0]![i]! + input[1]![i]!) / 2, 7);
    const wide = processCopy(imager({ widthPct: 200 }), input);
    for (let i = 0; i < 3000; i++) {
      expect(wide[0]![i]! - wide[1]![i]!).toBeCloseTo(2 * (input[0]![i]! - input[1]![i]!), 6);
      expect(wide[0]![i]! + wide[1]![i]!).toBeCloseTo(input[0]![i]! + input[1]![i]!, 6);
    }
  });

  it("mono below 120 Hz removes side energy at 50 Hz (LR4: −30 dB) and keeps it at 1 kHz", () => {
    const at50 = sine(50, 1, -1);
    const at1k = sine(1000, 1, -1);
    const p = () => imager({ monoBelowHz: 120 });
    // |HP4(50 Hz)| = r⁴/(1 + r⁴), r = 50/120: −30.4 dB.
    expect(toDb(sideRms(processCopy(p(), at50)) / sideRms(at50))).toBeLessThan(-29);
    expect(toDb(sideRms(processCopy(p(), at1k)) / sideRms(at1k))).toBeCloseTo(0, 1);
  });

  it("per-band widths act on the side only: low 0 %, mid 100 %, high 200 %", () => {
    const p = imager({ lowWidthPct: 0, highWidthPct: 200, lowCrossoverHz: 200, highCrossoverHz: 5000 });
    const [l, r] = leftImpulse(p) as [Float64Array, Float64Array];
    const side = l.map((v, i) => v - r[i]!); // input side is 1/2 of the impulse: (L−R) = 2·S_out
    const mid = l.map((v, i) => v + r[i]!);
    const sideDb = (f: number) => toDb(dftMagnitude(side, f, FS));
    expect(sideDb(30)).toBeLessThan(-30);
    expect(sideDb(1000)).toBeCloseTo(0, 1);
    expect(sideDb(16_000)).toBeCloseTo(6.02, 1);
    // The mid is only allpassed: flat magnitude.
    for (const f of logFrequencies(20, 20_000, 3)) expect(toDb(dftMagnitude(mid, f, FS))).toBeCloseTo(0, 6);
  });

  it("mono content (L = R) stays mono with a flat magnitude when every feature is on", () => {
    const p = imager({ widthPct: 150, lowWidthPct: 50, highWidthPct: 120, monoBelowHz: 80 });
    const x = impulse(1 << 15);
    const out = [x.slice(), x.slice()];
    p.process(out, x.length);
    expect(out[0]).toEqual(out[1]);
    for (const f of logFrequencies(20, 20_000, 3)) expect(toDb(dftMagnitude(out[0]!, f, FS))).toBeCloseTo(0, 6);
  });

  it("with the band path on but widths ≈ 100 %, L and R are allpassed alike (no crosstalk, no image shift)", () => {
    // lowWidth 99.9999 % forces the band path: S → Σ bands = AP·S and M → AP·M, so L → AP·L.
    const p = imager({ lowWidthPct: 99.9999 });
    const [l, r] = leftImpulse(p) as [Float64Array, Float64Array];
    for (const f of logFrequencies(20, 20_000, 3)) {
      expect(toDb(dftMagnitude(l, f, FS))).toBeCloseTo(0, 4);
      expect(toDb(dftMagnitude(r, f, FS))).toBeLessThan(-100);
    }
  });

  it("passes mono input unchanged", () => {
    const x = randomBlock(2000, 1);
    expect(processCopy(imager({ widthPct: 0, monoBelowHz: 100, lowWidthPct: 10 }, 1), x)).toEqual(x);
  });

  it("is block-size invariant with every feature on", () => {
    const params: Partial<ImagerParams> = {
      widthPct: 130,
      lowWidthPct: 40,
      midWidthPct: 110,
      highWidthPct: 180,
      lowCrossoverHz: 150,
      highCrossoverHz: 7000,
      monoBelowHz: 90,
    };
    const { one, sizes } = blockSizeRuns(() => imager(params), randomBlock(20_000));
    for (const s of sizes) expect(s).toEqual(sizes[0]);
    expect(one).toEqual(sizes[0]!.map((c) => c.subarray(0, 3000)));
  });

  it("reset() restores a fresh state; refuses process before prepare", () => {
    const p = imager({ lowWidthPct: 0, monoBelowHz: 100 });
    const input = randomBlock(4000);
    const first = processCopy(p, input);
    p.reset();
    expect(processCopy(p, input)).toEqual(first);
    expect(() => new ImagerProcessor().process([new Float32Array(1)], 1)).toThrow(
      expect.objectContaining({ code: "INVALID_STATE" }),
    );
  });
});
