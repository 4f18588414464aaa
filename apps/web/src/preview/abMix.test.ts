import { describe, expect, it } from "vitest";
import { alignment, pathLevels } from "./abMix";

describe("pathLevels", () => {
  const base = { listening: "A" as const, bypassed: false, bypassGainDbA: 6, bypassGainDbB: -3 };

  it("hears exactly one path", () => {
    expect(pathLevels(base)).toEqual({ a: 1, b: 0, dry: 0 });
    expect(pathLevels({ ...base, listening: "B" })).toEqual({ a: 0, b: 1, dry: 0 });
  });

  it("stays on A when no version is picked as B", () => {
    expect(pathLevels({ ...base, listening: "B", bypassGainDbB: null })).toEqual({ a: 1, b: 0, dry: 0 });
  });

  it("bypasses at the matching gain of the chain being heard", () => {
    const a = pathLevels({ ...base, bypassed: true });
    expect(a.a + a.b).toBe(0);
    expect(20 * Math.log10(a.dry)).toBeCloseTo(6, 10);
    const b = pathLevels({ ...base, bypassed: true, listening: "B" });
    expect(20 * Math.log10(b.dry)).toBeCloseTo(-3, 10);
  });
});

describe("alignment", () => {
  it("delays every path to the longest chain latency", () => {
    expect(alignment(64, null)).toEqual({ a: 0, b: 0, dry: 64 });
    expect(alignment(64, 320)).toEqual({ a: 256, b: 0, dry: 320 });
    expect(alignment(320, 64)).toEqual({ a: 0, b: 256, dry: 320 });
    for (const [la, lb] of [
      [0, 0],
      [17, 5],
      [5, 17],
    ] as const) {
      const d = alignment(la, lb);
      expect(la + d.a).toBe(d.dry);
      expect(lb + d.b).toBe(d.dry);
    }
  });
});
