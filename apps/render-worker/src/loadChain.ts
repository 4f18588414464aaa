import { readFile } from "node:fs/promises";
import { type Chain, ChainError, PRESET_NAMES, type PresetName, parseChain, presetChain } from "@comaster/chain";
import { CliError } from "./cliError";
import { fsError } from "./openAudioFile";

export interface ChainChoice {
  readonly chainPath?: string;
  readonly preset?: string;
  readonly targetLufs?: number;
  readonly ceilingDbtp?: number;
}

/**
 * The chain to render: a chain JSON file or a preset (default: streaming), with the loudness target
 * and limiter ceiling overridden where asked. Everything goes through `parseChain`, so an out-of-range
 * value is reported naming the module and the parameter, before anything is read or written.
 */
export async function loadChain(choice: ChainChoice): Promise<Chain> {
  if (choice.chainPath !== undefined && choice.preset !== undefined) {
    throw new CliError("USAGE", "give either --chain or --preset, not both");
  }
  let chain: Chain;
  let origin: string;
  if (choice.chainPath !== undefined) {
    origin = choice.chainPath;
    chain = parse(origin, await readJson(choice.chainPath));
  } else {
    const name = choice.preset ?? "streaming";
    origin = `preset ${name}`;
    if (!(PRESET_NAMES as readonly string[]).includes(name)) {
      throw new CliError("USAGE", `unknown preset "${name}"; choose one of ${PRESET_NAMES.join(", ")}`);
    }
    chain = presetChain(name as PresetName);
  }
  return withOverrides(chain, origin, choice);
}

/**
 * `chain` with its loudness target and limiter ceiling replaced where `choice` asks, validated again;
 * `origin` names the chain in errors (a file, a preset, a stored version).
 */
export function withOverrides(
  chain: Chain,
  origin: string,
  choice: Pick<ChainChoice, "targetLufs" | "ceilingDbtp">,
): Chain {
  const { targetLufs, ceilingDbtp } = choice;
  if (targetLufs === undefined && ceilingDbtp === undefined) return chain;
  const has = (type: string) => chain.modules.some((m) => m.type === type && !m.bypass);
  if (targetLufs !== undefined && !has("loudness")) {
    throw new CliError("BAD_INPUT", `${origin}: --target needs a loudness module in the chain, and it has none`);
  }
  if (ceilingDbtp !== undefined && !has("limiter")) {
    throw new CliError("BAD_INPUT", `${origin}: --ceiling needs a limiter module in the chain, and it has none`);
  }
  const modules = chain.modules.map((m) => {
    if (m.type === "loudness" && targetLufs !== undefined) return { ...m, params: { ...m.params, targetLufs } };
    if (m.type === "limiter" && ceilingDbtp !== undefined) return { ...m, params: { ...m.params, ceilingDbtp } };
    return m;
  });
  return parse(origin, { ...chain, modules });
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw fsError(path, err, "a chain file");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError("BAD_INPUT", `${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Validates chain JSON with `parseChain`, reporting the first issue as a `CliError` naming `origin`. */
export function parseChainJson(origin: string, json: unknown): Chain {
  return parse(origin, json);
}

function parse(origin: string, json: unknown): Chain {
  try {
    return parseChain(json);
  } catch (err) {
    if (err instanceof ChainError) {
      const detail = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more)` : "";
      throw new CliError("BAD_INPUT", `${origin}: ${err.issues[0]?.message ?? err.message}${detail}`);
    }
    throw err;
  }
}
