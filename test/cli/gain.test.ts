// `comaster gain`: the loudness gain the preview plays with must be the gain the export applies.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { presetChain } from "@comaster/chain";
import { encodeWav } from "@comaster/codecs";
import { pinkNoise } from "@comaster/dsp";
import { describe, expect, it } from "vitest";
import { comaster } from "../support/cli";
import { tempDir } from "../support/tmp";

const dir = tempDir("gain");
const mix = join(dir, "mix.wav");
writeFileSync(
  mix,
  encodeWav(pinkNoise({ sampleRate: 44_100, seconds: 6, channels: 2, seed: 11, rmsDb: -24 }), 44_100, "pcm24"),
);

/** The broadcast preset with its pre-loudness modules on and audible: they move the level the gain must make up. */
function chainFile(): string {
  const preset = presetChain("broadcast");
  const li = preset.modules.findIndex((m) => m.type === "loudness");
  const modules = preset.modules.map((m, i) => ({
    ...m,
    bypass: i < li || m.type === "loudness" || m.type === "limiter" ? false : m.bypass,
    params: m.type === "eq" ? { ...m.params, b2Gain: -6, b5Gain: -4 } : m.params,
  }));
  const path = join(dir, "chain.json");
  writeFileSync(path, JSON.stringify({ ...preset, modules }));
  return path;
}

describe("comaster gain", () => {
  it.each(["wav24", "wav16", "mp3"])("prints the same loudness gain a %s master of the chain applies", (format) => {
    const chain = chainFile();
    const g = comaster(["gain", mix, "--chain", chain, "--format", format, "--json"]);
    expect(g.stderr).toBe("");
    expect(g.status).toBe(0);
    const gain = JSON.parse(g.stdout);
    const m = comaster([
      "master",
      mix,
      join(dir, `out.${format === "mp3" ? "mp3" : "wav"}`),
      "--chain",
      chain,
      "--format",
      format,
      "--json",
    ]);
    expect(m.status).toBe(0);
    const master = JSON.parse(m.stdout).master;
    expect(gain.loudnessGainDb).toBe(master.loudnessGainDb);
    expect(gain.passes).toBe(master.passes);
    expect(gain.targetLufs).toBe(-23);
    // The pre-loudness modules matter: the gain is not simply target − the mix's loudness.
    const a = JSON.parse(comaster(["analyze", mix, "--json"]).stdout);
    expect(Math.abs(gain.loudnessGainDb - (-23 - a.integratedLufs))).toBeGreaterThan(1);
  });

  it("prints a sentence without --json, and none for a chain without an active loudness module", () => {
    const r = comaster(["gain", mix, "--preset", "streaming", "--target", "-16"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^loudness gain [+-]\d+\.\d\d dB \(target -16 LUFS, output -1[56]\.\d\d LUFS, \d passes\)/,
    );
    const preset = presetChain("streaming");
    const off = join(dir, "off.json");
    writeFileSync(
      off,
      JSON.stringify({
        ...preset,
        modules: preset.modules.map((m) => (m.type === "loudness" ? { ...m, bypass: true } : m)),
      }),
    );
    const none = comaster(["gain", mix, "--chain", off, "--json"]);
    expect(none.status).toBe(0);
    expect(JSON.parse(none.stdout)).toMatchObject({ loudnessGainDb: null, targetLufs: null });
  });

  it.each([
    [["gain"], /gain takes exactly one IN/],
    [["gain", join(dir, "missing.wav")], /missing\.wav/],
    [["gain", mix, "--format", "ogg"], /--format must be one of/],
    [["gain", mix, "--target", "loud"], /--target takes a number/],
    [["gain", mix, "--preset", "nope"], /unknown preset/],
  ])("refuses %j with exit 2 and a clear message", (args, message) => {
    const r = comaster(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});
