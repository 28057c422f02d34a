import type { EarlyStoppingSpec } from '../plan/train-settings.js';

/**
 * Keras-style early stopping: watch one metric per epoch; an epoch improves when it beats the best
 * so far by more than `minDelta` (lower is better for losses, higher for accuracies); stop after
 * `patience` epochs without improvement.
 */
export class EarlyStopping {
  private best = NaN;
  private bestEpoch = -1;
  private waited = 0;

  constructor(readonly config: EarlyStoppingSpec) {}

  get bestValue(): number {
    return this.best;
  }

  get bestEpochIndex(): number {
    return this.bestEpoch;
  }

  /** Records an epoch's value; says whether it is the new best and whether to stop now. */
  update(epoch: number, value: number): { improved: boolean; stop: boolean } {
    const higherIsBetter = this.config.monitor.endsWith('accuracy');
    const improved =
      Number.isFinite(value) &&
      (this.bestEpoch < 0 || (higherIsBetter ? value > this.best + this.config.minDelta : value < this.best - this.config.minDelta));
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.waited = 0;
    } else this.waited++;
    return { improved, stop: this.waited >= this.config.patience };
  }
}
