/**
 * What a gain reduction meter on the desk draws from the readings (~30 a second): the bar follows
 * every reading, in steps of 1/200 of its scale (a smaller move is not drawn); the figure changes at
 * most every `figureMs` and shows the peak since it last changed, so it can be read and a short
 * grab still shows. Pure: the meter component calls it and writes the result into the page.
 */
export class GainReductionDisplay {
  private lastBar = Number.NaN;
  private held = 0;
  private figureAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** The bar's full scale, dB of reduction. */
    readonly rangeDb = 24,
    readonly figureMs = 100,
  ) {}

  /**
   * A reading of `db` (≥ 0) at time `now` (ms). `bar`: the fill 0…1 to draw, or null when it has not
   * moved; `figure`: the dB to print, or null to keep the one shown.
   */
  update(db: number, now: number): { bar: number | null; figure: number | null } {
    const fill = Math.round(Math.min(1, Math.max(0, db / this.rangeDb)) * 200) / 200;
    const bar = fill === this.lastBar ? null : fill;
    this.lastBar = fill;
    this.held = Math.max(this.held, db);
    if (now - this.figureAt < this.figureMs) return { bar, figure: null };
    const figure = this.held;
    this.held = 0;
    this.figureAt = now;
    return { bar, figure };
  }
}

/** "−3.2 dB"; no reduction reads "0.0 dB". */
export function formatReduction(db: number): string {
  const shown = Math.round(db * 10) / 10;
  return shown === 0 ? "0.0 dB" : `\u2212${shown.toFixed(1)} dB`;
}
