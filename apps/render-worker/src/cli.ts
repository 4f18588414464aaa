import { parseArgs } from "node:util";
import { analyzeFile } from "./analyzeFile";
import { CliError } from "./cliError";
import { formatAnalysis } from "./formatAnalysis";

const USAGE = `usage: comaster analyze FILE [--json] [--waveform-bins N]

  analyze   measure loudness (BS.1770-4 / EBU R128), true peak, range and more
            --json             print one JSON object
            --waveform-bins N  include a min/max waveform overview of N bins (JSON only)`;

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

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError("USAGE", `${(err as Error).message}\n${USAGE}`);
  }
}
