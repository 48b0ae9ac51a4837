/** What a learning-rate sweep found (lr-finder.ts): plain data, so it crosses the contract to the window as it is. */
export interface LrSweep {
  /** Rate of each batch tried, ascending. */
  rates: number[];
  /** Smoothed (bias-corrected running average) loss at each rate. */
  losses: number[];
  /** The suggested rate (see suggestRate), or null when the loss never fell. */
  suggested: number | null;
  /** The rate of the lowest smoothed loss. */
  minimumRate: number | null;
  /** True when the sweep ended because the loss diverged (before the last rate). */
  diverged: boolean;
  /** Optimizer swept, in words for the summary. */
  optimizer: string;
  seconds: number;
}
