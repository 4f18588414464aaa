import { DspError } from "../errors";
import type { ChainProcessor } from "../processors/chainProcessor";
import { Compressor } from "../processors/dynamics/compressor";
import { Deesser } from "../processors/dynamics/deesser";
import { Limiter } from "../processors/dynamics/limiter";
import { Multiband } from "../processors/dynamics/multiband";
import { Reverb } from "../processors/effects/reverb";
import { Saturation } from "../processors/effects/saturation";
import { EqProcessor } from "../processors/filters/eq";
import { HighpassProcessor } from "../processors/filters/highpass";
import { ImagerProcessor } from "../processors/filters/imager";
import { TrimProcessor } from "../processors/filters/trim";

/** Every chain module type that is a processor, and how to make one (parameters follow via setParams). */
const FACTORIES: Readonly<Record<string, () => ChainProcessor<never>>> = {
  trim: () => new TrimProcessor(),
  highpass: () => new HighpassProcessor(),
  eq: () => new EqProcessor(),
  compressor: () => new Compressor(),
  multiband: () => new Multiband(),
  saturation: () => new Saturation(),
  imager: () => new ImagerProcessor(),
  deesser: () => new Deesser(),
  reverb: () => new Reverb(),
  limiter: () => new Limiter(),
};

/** The processor module types the renderer knows. */
export const PROCESSOR_TYPES: readonly string[] = Object.keys(FACTORIES);

export function createProcessor(type: string): ChainProcessor<unknown> {
  const make = FACTORIES[type];
  if (!make) throw new DspError("INVALID_ARGUMENT", `no processor for module type "${type}"`);
  return make() as ChainProcessor<unknown>;
}
