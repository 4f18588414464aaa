// @comaster/dsp/testing: test support for other packages' tests (not part of the runtime API, never
// imported by the package itself).

// The click detector for live changes (edits, bypass toggles), to test the code that drives a
// ChainRenderer live (the preview's worklet chain).
export {
  CLICK_GUARD_FRAMES,
  CLICK_THRESHOLD,
  CLICK_TONE_HZ,
  type ClickMeasure,
  type ClickProgrammeOptions,
  clickProgramme,
  hardSwitch,
  measureClick,
  residualPeak,
} from "./chain/clickDetector";
export { STAGE_TYPES } from "./chain/modulePlan";
// The copy of packages/chain's parameter specs that this package's tests sweep (test/chain compares
// it with MODULE_SPECS).
export { TEST_PARAM_SPECS, type TestParamSpec, testDefaults } from "./chain/testParamSpecs";
