import { makeDataset, type Dataset } from './dataset.js';

/** A dataset with its fixed train/test split. */
export interface SplitData {
  train: Dataset;
  test: Dataset | null;
}

/** The four XOR points; the test set is the same four points. Fields: `x` f32 [4, 2], `label` i32 [4]. */
export function xorData(): SplitData {
  const data = makeDataset(
    { x: { shape: [4, 2], dtype: 'f32', data: Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1) }, label: { shape: [4], dtype: 'i32', data: Int32Array.of(0, 1, 1, 0) } },
    'label',
  );
  return { train: data, test: data };
}
