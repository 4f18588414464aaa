// The AudioWorkletGlobalScope, typed here rather than declared globally: TypeScript's DOM library has
// the main-thread side only, and these names must not leak into the rest of the app. Each worklet
// (chainWorklet.ts, monitor/monitorWorklet.ts) takes its scope with its own message types.

interface WorkletPort<Out, In> {
  postMessage(message: Out): void;
  onmessage: ((event: { readonly data: In }) => void) | null;
}
export interface WorkletProcessorBase<Out, In> {
  readonly port: WorkletPort<Out, In>;
}
export interface WorkletNodeOptions<Options> {
  readonly processorOptions?: Options;
}
type ProcessorClass<Out, In, Options> = new (options?: WorkletNodeOptions<Options>) => WorkletProcessorBase<Out, In>;

export interface AudioWorkletScope<Out, In, Options> {
  readonly AudioWorkletProcessor: ProcessorClass<Out, In, Options>;
  registerProcessor(name: string, processor: ProcessorClass<Out, In, Options>): void;
  readonly sampleRate: number;
  readonly currentFrame: number;
}

/** The worklet's global scope, for a processor posting `Out`, receiving `In`, created with `Options`. */
export function workletScope<Out, In, Options>(): AudioWorkletScope<Out, In, Options> {
  return globalThis as unknown as AudioWorkletScope<Out, In, Options>;
}
