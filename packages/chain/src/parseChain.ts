import { ChainError, type ChainIssue } from "./errors.ts";
import { migrateChain } from "./migrate.ts";
import { Chain } from "./schema.ts";
import { toChainIssues } from "./toChainIssues.ts";

/** The outcome of `safeParseChain`, shaped like zod's. */
export type ParseChainResult = { success: true; data: Chain } | { success: false; error: ChainError };

/**
 * Reads a chain document from untrusted input (JSON from a request, a stored snapshot, a file):
 * migrates it to the current schema version, validates it, and fills missing `bypass`, `params`
 * and parameters with their defaults. The result is a fresh object; `json` is not modified.
 *
 * Throws `ChainError` (and nothing else) listing every problem, in document order, e.g.
 * `module "lim" (limiter): ceilingDbtp = 3 is out of range −12…0 dBTP`.
 */
export function parseChain(json: unknown): Chain {
  const doc = migrateChain(json);
  const result = Chain.safeParse(doc);
  if (result.success) return result.data;
  const issues = toChainIssues(result.error.issues, doc);
  const fallback: ChainIssue = { code: "INVALID_CHAIN", message: result.error.message, path: [] };
  throw new ChainError(issues.length > 0 ? [issues[0]!, ...issues.slice(1)] : [fallback], { cause: result.error });
}

/** Like `parseChain`, but returns `{ success, data | error }` instead of throwing. */
export function safeParseChain(json: unknown): ParseChainResult {
  try {
    return { success: true, data: parseChain(json) };
  } catch (error) {
    if (error instanceof ChainError) return { success: false, error };
    throw error;
  }
}
