import { parseArgs } from "node:util";
import { PRESET_NAMES, type PresetName, presetChain } from "@comaster/chain";
import { analyzeFile } from "./analyzeFile";
import { CliError } from "./cliError";
import { resolveFormat } from "./exportFormat";
import { formatAnalysis } from "./formatAnalysis";
import { loadChain } from "./loadChain";
import { masterFile } from "./masterFile";
import { measureGain } from "./measureGain";

const USAGE = `usage: comaster analyze FILE [--json] [--waveform-bins N]
       comaster master IN OUT [--chain chain.json | --preset NAME] [--target LUFS] [--ceiling DBTP]
                              [--format wav16|wav24|wav32f|flac|mp3] [--sample-rate HZ] [--json]
       comaster gain IN [--chain chain.json | --preset NAME] [--target LUFS] [--ceiling DBTP]
                        [--format wav16|wav24|wav32f|flac|mp3] [--json]

  analyze   measure loudness (BS.1770-4 / EBU R128), true peak, range and more
            --json             print one JSON object
            --waveform-bins N  include a min/max waveform overview of N bins (JSON only)
  master    render the mastering chain (default preset: streaming) and write OUT
            --json             print the analysis of OUT (same keys as analyze)
  gain      the loudness stage's gain a master of IN with the chain applies (the export's own
            passes, nothing written); the preview plays with it. --format: as master's (default:
            the chain's output module)
  preset    print a preset as a chain document, to edit and pass to --chain
            comaster preset NAME [--all-on]   (--all-on: no module bypassed)
  presets   ${PRESET_NAMES.join(", ")}`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the CLI and returns its exit code: 0 done, 2 bad input or usage, 1 internal error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "analyze") return await analyzeCommand(rest, io);
    if (command === "master") return await masterCommand(rest, io);
    if (command === "gain") return await gainCommand(rest, io);
    if (command === "preset") return presetCommand(rest, io);
    throw new CliError("USAGE", `unknown command "${command}"\n${USAGE}`);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr(`comaster: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`comaster: internal error: ${message}\n`);
    if (process.env.COMASTER_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}

async function analyzeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: "boolean", default: false },
    "waveform-bins": { type: "string" },
  });
  if (positionals.length !== 1) throw new CliError("USAGE", `analyze takes exactly one FILE\n${USAGE}`);
  const bins = values["waveform-bins"] === undefined ? 0 : Number(values["waveform-bins"]);
  if (!Number.isInteger(bins) || bins < 0 || bins > 100_000) {
    throw new CliError("USAGE", "--waveform-bins must be a whole number from 0 to 100000");
  }
  const analysis = await analyzeFile(positionals[0]!, { waveformBins: bins });
  io.stdout(values.json ? `${JSON.stringify(analysis)}\n` : `${formatAnalysis(analysis)}\n`);
  return 0;
}

function presetCommand(args: string[], io: CliIo): number {
  const { values, positionals } = parse(args, { "all-on": { type: "boolean", default: false } });
  const name = positionals[0];
  if (positionals.length !== 1 || !(PRESET_NAMES as readonly string[]).includes(name!)) {
    throw new CliError("USAGE", `preset takes one of ${PRESET_NAMES.join(", ")}`);
  }
  const chain = presetChain(name as PresetName);
  const doc = values["all-on"] ? { ...chain, modules: chain.modules.map((m) => ({ ...m, bypass: false })) } : chain;
  io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}

/** The options of the commands that render a chain: which chain, its overrides, the format, JSON output. */
const CHAIN_OPTIONS = {
  chain: { type: "string" },
  preset: { type: "string" },
  target: { type: "string" },
  ceiling: { type: "string" },
  format: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

async function masterCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ...CHAIN_OPTIONS, "sample-rate": { type: "string" } });
  if (positionals.length !== 2) throw new CliError("USAGE", `master takes IN and OUT\n${USAGE}`);
  const [input, output] = positionals as [string, string];
  const sampleRate = number("sample-rate", values["sample-rate"]);
  if (sampleRate !== undefined && ![44_100, 48_000, 88_200, 96_000].includes(sampleRate)) {
    throw new CliError("USAGE", "--sample-rate must be 44100, 48000, 88200 or 96000");
  }
  const { analysis } = await masterFile(input, output, {
    chainPath: values.chain,
    preset: values.preset,
    targetLufs: number("target", values.target),
    ceilingDbtp: number("ceiling", values.ceiling),
    format: resolveFormat(values.format, output),
    sampleRate,
  });
  io.stdout(values.json ? `${JSON.stringify(analysis)}\n` : `${formatAnalysis(analysis)}\n`);
  return 0;
}

async function gainCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, CHAIN_OPTIONS);
  if (positionals.length !== 1) throw new CliError("USAGE", `gain takes exactly one IN\n${USAGE}`);
  const format = values.format === undefined ? undefined : resolveFormat(values.format, "");
  const chain = await loadChain({
    chainPath: values.chain,
    preset: values.preset,
    targetLufs: number("target", values.target),
    ceilingDbtp: number("ceiling", values.ceiling),
  });
  const m = await measureGain(positionals[0]!, chain, { format });
  if (values.json) io.stdout(`${JSON.stringify(m)}\n`);
  else if (m.loudnessGainDb === null) io.stdout("no active loudness module: no loudness gain\n");
  else {
    const lufs = m.integratedLufs === null ? "silent" : `${m.integratedLufs.toFixed(2)} LUFS`;
    const sign = m.loudnessGainDb >= 0 ? "+" : "";
    io.stdout(
      `loudness gain ${sign}${m.loudnessGainDb.toFixed(2)} dB (target ${m.targetLufs} LUFS, output ${lufs}, ${m.passes} passes)\n`,
    );
    for (const w of m.warnings) io.stdout(`warning: ${w}\n`);
  }
  return 0;
}

/** A numeric flag's value, or a usage error naming the flag. */
function number(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw new CliError("USAGE", `--${flag} takes a number, not "${v}"`);
  return n;
}

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(args: string[], options: T) {
  // "--target -14": loudness figures are negative, and parseArgs would read "-14" as an option.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.startsWith("--") ? args[i]!.slice(2) : "";
    const next = args[i + 1];
    if (options && options[name]?.type === "string" && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else joined.push(args[i]!);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError("USAGE", `${(err as Error).message}\n${USAGE}`);
  }
}
