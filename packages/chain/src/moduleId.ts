/**
 * Module ids: 1–64 characters of `A–Z a–z 0–9 _ -`, unique within a chain (uniqueness is a chain
 * rule, see `chainRules.ts`). Ids are stable across edits: diffs, the collaboration mapping and the
 * UI refer to a module by its id, never by its position.
 */
import * as z from "zod";

export const MODULE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** The zod schema of a module id. */
export const ModuleId = z.string().regex(MODULE_ID_PATTERN);

export function isModuleId(value: unknown): value is string {
  return typeof value === "string" && MODULE_ID_PATTERN.test(value);
}
