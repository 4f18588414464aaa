// packages/dsp keeps a copy of the processor modules' parameter specs for its own sweeps
// (src/chain/testParamSpecs.ts: the DSP may not import @comaster/chain). This fails when the copy and
// packages/chain's MODULE_SPECS disagree: module types, keys, kinds, ranges, scales, defaults, options.
import { MODULE_SPECS, type ParamSpec } from "@comaster/chain";
import { PROCESSOR_TYPES } from "@comaster/dsp";
import { STAGE_TYPES, TEST_PARAM_SPECS, type TestParamSpec } from "@comaster/dsp/testing";
import { describe, expect, it } from "vitest";

/** What the DSP's tests rely on in a spec (labels, units and UI steps are the chain's business). */
function essentials(s: ParamSpec | TestParamSpec) {
  switch (s.kind) {
    case "number":
      return { kind: s.kind, min: s.min, max: s.max, default: s.default, scale: s.scale };
    case "enum":
      return { kind: s.kind, options: [...s.options], default: s.default };
    case "boolean":
      return { kind: s.kind, default: s.default };
  }
}

/** Key → essentials of a module's parameters (order is the UI's, not compared). */
const byKey = (specs: readonly (ParamSpec | TestParamSpec)[]) =>
  Object.fromEntries(specs.map((s) => [s.key, essentials(s)]));

const sorted = (xs: readonly string[]) => [...xs].sort();

describe("the DSP's copy of the parameter specs", () => {
  it("covers exactly the chain's processor modules (every other module type is a stage of the master)", () => {
    expect(sorted(Object.keys(TEST_PARAM_SPECS))).toEqual(sorted(PROCESSOR_TYPES));
    expect(sorted(Object.keys(MODULE_SPECS))).toEqual(sorted([...PROCESSOR_TYPES, ...STAGE_TYPES]));
  });

  it.each(PROCESSOR_TYPES)("%s: same keys, kinds, ranges, scales, defaults and options", (type) => {
    const chain = (MODULE_SPECS as Record<string, { params: readonly ParamSpec[] }>)[type]!.params;
    expect(byKey(TEST_PARAM_SPECS[type]!)).toEqual(byKey(chain));
  });

  it("notices a difference (a changed default, a missing option, an extra key)", () => {
    const chain = byKey(MODULE_SPECS.limiter.params);
    const copy = TEST_PARAM_SPECS.limiter!;
    const changed = copy.map(
      (s): TestParamSpec => (s.kind === "number" && s.key === "releaseMs" ? { ...s, default: 101 } : s),
    );
    expect(byKey(changed)).not.toEqual(chain);
    const highpass = TEST_PARAM_SPECS.highpass!.map((s) =>
      s.kind === "enum" ? { ...s, options: s.options.slice(1) } : s,
    );
    expect(byKey(highpass)).not.toEqual(byKey(MODULE_SPECS.highpass.params));
    expect(byKey([...copy, { kind: "boolean", key: "extra", default: false }])).not.toEqual(chain);
  });
});
