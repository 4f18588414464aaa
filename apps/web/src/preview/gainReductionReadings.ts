/**
 * The latest gain reduction of each dynamics module, by module id, as the chain worklet reports it
 * (~30 readings a second, each the peak over its interval) while the preview plays. Stopped, there
 * is nothing to show: `get` answers null. Listeners are told of every change; the desk's meters
 * subscribe one module each.
 */
export class GainReductionReadings {
  private readonly values = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private playing = false;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The preview is playing: readings come (a module not reported yet reads as no reduction). */
  get active(): boolean {
    return this.playing;
  }

  /** The gain reduction of module `id`, dB ≥ 0, or null when stopped or not yet measured. */
  get(id: string): number | null {
    return this.playing ? (this.values.get(id) ?? null) : null;
  }

  /** A reading from the worklet: `db[i]` for module `ids[i]`. Ignored while stopped. */
  receive(ids: readonly string[], db: ArrayLike<number>): void {
    if (!this.playing) return;
    this.values.clear();
    for (let i = 0; i < ids.length; i++) this.values.set(ids[i]!, db[i] ?? 0);
    this.notify();
  }

  /** Chain A playing and heard (readings are kept), or not (they are dropped). */
  setActive(active: boolean): void {
    if (active === this.playing) return;
    this.playing = active;
    this.values.clear();
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
