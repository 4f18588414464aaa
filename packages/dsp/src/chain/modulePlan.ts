/**
 * A chain module as the DSP receives it: a plain, already validated snapshot of the chain document
 * (packages/chain parses and validates; the DSP never sees zod or Yjs). Parameter keys are those of
 * the chain's parameter specs.
 */
export type ParamValue = number | string | boolean;

export interface ModulePlan {
  readonly id: string;
  readonly type: string;
  readonly bypass: boolean;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** The modules the renderer treats as stages rather than processors. */
export const STAGE_TYPES = ["loudness", "fade", "output"] as const;
