import { describe, expect, it } from "vitest";
import { formatReduction, GainReductionDisplay } from "./gainReductionDisplay";

describe("GainReductionDisplay", () => {
  it("moves the bar with every reading that moves it, on a 0…24 dB scale", () => {
    const d = new GainReductionDisplay(24, 100);
    expect(d.update(6, 0).bar).toBe(0.25);
    expect(d.update(6.01, 10).bar).toBeNull(); // less than a step
    expect(d.update(12, 20).bar).toBe(0.5);
    expect(d.update(40, 30).bar).toBe(1); // beyond the scale: full
    expect(d.update(0, 40).bar).toBe(0);
  });

  it("prints the peak since the figure last changed, at most every 100 ms", () => {
    const d = new GainReductionDisplay(24, 100);
    expect(d.update(2, 0).figure).toBe(2);
    expect(d.update(7, 33).figure).toBeNull();
    expect(d.update(3, 66).figure).toBeNull();
    expect(d.update(1, 100).figure).toBe(7); // the 33 ms grab still shows
    expect(d.update(0.5, 133).figure).toBeNull();
    expect(d.update(0, 200).figure).toBe(0.5);
  });
});

describe("formatReduction", () => {
  it("prints a reduction as a negative gain, with a true minus sign", () => {
    expect(formatReduction(3.24)).toBe("\u22123.2 dB");
    expect(formatReduction(0)).toBe("0.0 dB");
    expect(formatReduction(0.04)).toBe("0.0 dB");
  });
});
