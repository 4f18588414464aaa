/**
 * Why a chain document (or a request about one) was refused.
 *
 * - `INVALID_CHAIN`: the document's shape is wrong (not an object, `modules` not an array, a bad id…).
 * - `UNSUPPORTED_VERSION`: `schemaVersion` is one this build cannot read (newer, or never existed).
 * - `UNKNOWN_MODULE`: a module `type` that does not exist.
 * - `UNKNOWN_PARAM`: a parameter key the module does not have.
 * - `INVALID_PARAM`: a parameter of the wrong type, not a finite number, or not one of the options.
 * - `PARAM_OUT_OF_RANGE`: a finite number outside the parameter's [min, max].
 * - `PARAM_CONFLICT`: parameters that are valid alone but not together (crossovers too close).
 * - `DUPLICATE_ID`: two modules share an id.
 * - `DUPLICATE_MODULE`: more than one module of a type allowed once (loudness, limiter, output).
 * - `TOO_MANY_MODULES`: more than `MAX_MODULES` modules.
 * - `INVALID_ORDER`: modules in an order the chain does not allow (e.g. output not last).
 * - `UNKNOWN_PRESET`: a preset name that does not exist.
 * - `MODULE_NOT_FOUND`: an edit names a module id the chain does not hold (any more).
 */
export type ChainErrorCode =
  | "INVALID_CHAIN"
  | "UNSUPPORTED_VERSION"
  | "UNKNOWN_MODULE"
  | "UNKNOWN_PARAM"
  | "INVALID_PARAM"
  | "PARAM_OUT_OF_RANGE"
  | "PARAM_CONFLICT"
  | "DUPLICATE_ID"
  | "DUPLICATE_MODULE"
  | "TOO_MANY_MODULES"
  | "INVALID_ORDER"
  | "UNKNOWN_PRESET"
  | "MODULE_NOT_FOUND";

/** One problem found in a chain document. `message` is complete on its own (it names module and parameter). */
export interface ChainIssue {
  readonly code: ChainErrorCode;
  readonly message: string;
  /** Where in the document, e.g. `["modules", 2, "params", "ceilingDbtp"]`; `[]` for the document itself. */
  readonly path: readonly (string | number)[];
  readonly moduleId?: string;
  readonly moduleType?: string;
  readonly key?: string;
}

/**
 * The one error type this package throws. `code` is for programs (the code of the first issue),
 * `message` is for people (every issue's message, one per line, in document order), `issues` lists
 * them all.
 */
export class ChainError extends Error {
  override name = "ChainError";
  readonly code: ChainErrorCode;
  readonly issues: readonly ChainIssue[];

  constructor(issues: readonly [ChainIssue, ...ChainIssue[]], options?: ErrorOptions) {
    super(issues.map((i) => i.message).join("\n"), options);
    this.code = issues[0].code;
    this.issues = issues;
  }

  /** An error with a single issue about the document as a whole (or a call such as `presetChain`). */
  static of(code: ChainErrorCode, message: string, path: readonly (string | number)[] = []): ChainError {
    return new ChainError([{ code, message, path }]);
  }
}

export function isChainError(e: unknown): e is ChainError {
  return e instanceof ChainError;
}
