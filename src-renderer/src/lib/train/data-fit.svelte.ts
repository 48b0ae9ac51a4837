/**
 * Keeps epochs and early-stopping patience fitted to the loaded data (the engine's rule, which each data
 * check carries) for as long as the person has not set them: while early stopping is on, a setting follows
 * the data while it holds the plain default or the value last fitted, and is left alone once it holds
 * anything else. A project opened with other values keeps them, and stays unchanged.
 */
import type { DataCheck, TrainingSettings } from '$contract/api.js';

type Fit = NonNullable<DataCheck['fit']>;

export class DataFit {
  /** Why the settings are what they are; null when neither follows the data. */
  note = $state<string | null>(null);
  private last: { epochs: number; patience: number } | null = null;

  /** Called whenever the settings or the data check change. */
  follow(settings: TrainingSettings, fit: Fit | undefined): void {
    // The fit is about stopping on a noisy validation score; with early stopping off, epochs are the person's.
    if (!fit || !settings.earlyStopping.enabled) {
      this.note = null;
      return;
    }
    const untouched = (value: number, key: 'epochs' | 'patience') =>
      value === fit.plain[key] || value === this.last?.[key];
    const epochsFollow = untouched(settings.epochs, 'epochs');
    const patienceFollows = untouched(settings.earlyStopping.patience, 'patience');
    if (epochsFollow && settings.epochs !== fit.epochs) settings.epochs = fit.epochs;
    if (patienceFollows && settings.earlyStopping.patience !== fit.patience)
      settings.earlyStopping.patience = fit.patience;
    this.last = { epochs: fit.epochs, patience: fit.patience };
    // The reason names both numbers, so it is shown only while both are the rule's.
    this.note = epochsFollow && patienceFollows ? fit.reason : null;
  }
}
