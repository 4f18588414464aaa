// The `comaster` command: wires process I/O and signals to runCli.
import { runCli } from "./cli";
import { removeTempsOnSignals } from "./masterFile";

removeTempsOnSignals();
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});

// Benchmarks read the peak resident memory of a run from here (kilobytes).
if (process.env.COMASTER_REPORT_MAXRSS === "1") process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\n`);
