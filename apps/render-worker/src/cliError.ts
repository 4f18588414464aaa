/** An error the CLI reports as one line on stderr with a non-zero exit code (2 = bad input or usage). */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    readonly code: "USAGE" | "BAD_INPUT" | "IO",
    message: string,
    readonly exitCode = 2,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
