import type { HostTensor } from '../tensor.js';
import { readCsv } from './csv.js';
import { makeDataset, split, type Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { readIdx } from './idx.js';
import { readJsonDataset } from './json.js';
import { readNpy } from './npy.js';
import type { SplitData } from './split-data.js';

export type DataOptions = Record<string, string | number | boolean>;

/**
 * A data file's bytes as a dataset, by extension: `.csv` (option `label`), `.json`, `.npy`/`.idx`
 * (`labels` names a second file, whose bytes are `labelBytes`); then `scale`. Browser-safe: the CLI
 * reads the bytes from disk (load.ts), the playground fetches them.
 */
export function parseDataFile(path: string, bytes: Uint8Array, options: DataOptions, labelBytes?: { path: string; bytes: Uint8Array }): Dataset {
  const ext = (/\.[^./\\]+$/.exec(path)?.[0] ?? '').toLowerCase();
  let dataset: Dataset;
  if (ext === '.csv') {
    dataset = readCsv(new TextDecoder().decode(bytes), { file: path, ...(typeof options.label === 'string' ? { label: options.label } : {}) });
  } else if (ext === '.json') {
    dataset = readJsonDataset(new TextDecoder().decode(bytes), path);
  } else if (isArrayFile(path)) {
    dataset = arrayDataset(path, bytes, labelBytes);
  } else {
    throw new DataError('NNR5004', `unknown data file type '${ext || path}' (use .csv, .json, .npy or .idx)`, path);
  }
  // A header with no rows, an empty list or a 0-length array would train on nothing and print `loss NaN`.
  if (dataset.length === 0) throw new DataError('NNR5002', 'the file holds no samples', path);
  return typeof options.scale === 'number' ? scaleFeatures(dataset, options.scale) : dataset;
}

/** NPY and IDX files hold one array; their labels come from a second file (option `labels`). */
export function isArrayFile(path: string): boolean {
  return /\.(npy|idx)$/i.test(path) || /-ubyte$/.test(path);
}

/** Train and test sets: a separate test file's dataset, or the `test` fraction held out (seeded). */
export function withTestSet(train: Dataset, options: DataOptions, testFile: Dataset | null): SplitData {
  if (testFile) return { train, test: testFile };
  if (typeof options.test === 'number' && options.test > 0) {
    const [rest, test] = split(train, options.test, Number(options.seed ?? 0));
    return { train: rest, test };
  }
  return { train, test: null };
}

/** NPY/IDX: one array per file; `features` from the main file, `label` from the labels file. */
function arrayDataset(path: string, bytes: Uint8Array, labelBytes?: { path: string; bytes: Uint8Array }): Dataset {
  const readArray = (file: string, data: Uint8Array): HostTensor => (file.toLowerCase().endsWith('.npy') ? readNpy(data, file) : readIdx(data, file));
  const fields: Record<string, HostTensor> = { features: readArray(path, bytes) };
  if (labelBytes) fields.label = readArray(labelBytes.path, labelBytes.bytes);
  try {
    return makeDataset(fields, fields.label ? 'label' : undefined);
  } catch (err) {
    throw new DataError('NNR5005', (err as Error).message, path);
  }
}

function scaleFeatures(dataset: Dataset, scale: number): Dataset {
  const fields: Record<string, HostTensor> = { ...dataset.fields };
  for (const [name, tensor] of Object.entries(dataset.fields)) {
    if (name === dataset.labelField) continue;
    fields[name] = { shape: tensor.shape, dtype: 'f32', data: Float32Array.from(tensor.data, (v) => v / scale) };
  }
  return { ...dataset, fields };
}
