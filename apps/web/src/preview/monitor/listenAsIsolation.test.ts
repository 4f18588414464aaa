// "Listen as" is a monitoring stage: it must never reach an export. Three checks: the chain document
// cannot hold it; no code that renders an export imports it; and with the monitor after the chain
// node (as the preview wires it), no listen-as mode changes a sample of what the chain renders.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isChainError, MODULE_TYPES, PRESET_NAMES, parseChain, presetChain } from "@comaster/chain";
import { type ModulePlan, pinkNoise } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { WorkletChain } from "../workletChain";
import { LISTEN_AS_MODES, type ListenAsMode, MonitorStage } from "./monitorStage";

const REPO = fileURLToPath(new URL("../../../../../", import.meta.url));
const SR = 44_100;
const FRAMES = SR * 2 + 77;
/** Names a listen-as module could go by in a chain document. */
const LISTEN_AS_TYPES = ["listenAs", "listen-as", "monitor", "monitoring", ...LISTEN_AS_MODES];

/** Every import/export/require specifier of the .ts/.tsx/.js/.mjs sources under `dir`. */
function importSpecifiers(dir: string): { file: string; specifier: string }[] {
  const found: { file: string; specifier: string }[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !/\.(?:ts|tsx|js|mjs|cjs)$/.test(e.name)) continue;
    const file = join(e.parentPath, e.name);
    if (/[\\/](?:node_modules|dist)[\\/]/.test(file)) continue;
    for (const m of readFileSync(file, "utf8").matchAll(pattern)) found.push({ file, specifier: m[1]! });
  }
  return found;
}

describe("listen-as never reaches an export", () => {
  it("is no module type of the chain, no preset holds it, and parseChain refuses it", () => {
    for (const t of LISTEN_AS_TYPES) expect(MODULE_TYPES).not.toContain(t);
    for (const name of PRESET_NAMES) {
      for (const m of presetChain(name).modules) expect(LISTEN_AS_TYPES).not.toContain(m.type);
    }
    const base = presetChain("streaming");
    for (const type of ["listenAs", "monitor"]) {
      // Before the output module (which must stay last), so the type is the only thing wrong.
      const modules: unknown[] = [...base.modules];
      modules.splice(modules.length - 1, 0, { id: "listen-as", type, bypass: false, params: {} });
      let error: unknown;
      try {
        parseChain({ ...base, modules });
      } catch (e) {
        error = e;
      }
      expect(isChainError(error) && error.issues.map((i) => i.code)).toEqual(["UNKNOWN_MODULE"]);
    }
  });

  it("is imported by nothing that renders an export (render worker, dsp, chain, codecs, db)", () => {
    const roots = [
      "apps/render-worker/src",
      "packages/dsp/src",
      "packages/chain/src",
      "packages/codecs/src",
      "packages/db/src",
    ];
    const specifiers = roots.flatMap((r) => importSpecifiers(join(REPO, r)));
    expect(specifiers.length).toBeGreaterThan(50); // the scan did read the sources
    const offending = specifiers.filter(({ specifier }) =>
      /monitor|listen-?as|@comaster\/web|apps\/web/i.test(specifier),
    );
    expect(offending).toEqual([]);
    // Nor the preview's chain code, whose output the parity tests hold equal to the export.
    const chainSide = ["workletChain.ts", "chainWorklet.ts", "renderOffline.ts", "workletMessages.ts"];
    for (const f of chainSide) {
      const src = readFileSync(join(REPO, "apps/web/src/preview", f), "utf8");
      expect(src, f).not.toMatch(/from\s+["'][^"']*monitor/i);
    }
  });

  it("leaves the chain's output (what the export renders) bit-identical in every mode", () => {
    const input = pinkNoise({ sampleRate: SR, seconds: FRAMES / SR, channels: 2, rmsDb: -20, seed: 12 }).map((x) =>
      x.slice(0, FRAMES),
    );
    const modules = parseChain(presetChain("streaming")).modules as readonly ModulePlan[];

    /** Chain node → monitor node, 128 frames at a time; the monitor gets its own copy, as in Web Audio. */
    const render = (mode: ListenAsMode | null) => {
      const chain = new WorkletChain({ modules, loudnessGainDb: 4, programmeFrames: FRAMES }, SR, 2);
      const stage = new MonitorStage(SR);
      stage.setProgrammeLoudness(-8);
      if (mode) stage.setMode(mode);
      const chainOut = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
      const heard = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
      const block = [new Float32Array(128), new Float32Array(128)];
      for (let at = 0; at < FRAMES; at += 128) {
        const n = Math.min(128, FRAMES - at);
        chain.process(
          input.map((x) => x.subarray(at, at + n)),
          block,
          n,
        );
        for (let c = 0; c < 2; c++) {
          chainOut[c]!.set(block[c]!.subarray(0, n), at);
          heard[c]!.set(block[c]!.subarray(0, n), at);
        }
        if (mode) stage.process(heard[0]!.subarray(at, at + n), heard[1]!.subarray(at, at + n), n);
      }
      return { chainOut, heard };
    };

    const reference = render(null).chainOut; // no monitor at all
    for (const mode of LISTEN_AS_MODES) {
      const { chainOut, heard } = render(mode);
      expect(chainOut, mode).toEqual(reference);
      // …while the monitor did act on what was heard (except "off").
      if (mode === "off") expect(heard).toEqual(reference);
      else expect(heard, mode).not.toEqual(reference);
    }
  }, 30_000); // renders the chain once per listen-as mode: seconds on a busy 2-core machine
});
