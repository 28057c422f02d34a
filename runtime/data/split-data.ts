import type { Dataset } from './dataset.js';

/** A dataset with its fixed train/test split. */
export interface SplitData {
  train: Dataset;
  test: Dataset | null;
}
