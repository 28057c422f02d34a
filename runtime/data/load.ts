import { readFileSync } from 'node:fs';
import { extname, isAbsolute, resolve } from 'node:path';
import type { HostTensor } from '../tensor.js';
import { isBuiltin, loadBuiltin, type SplitData } from './builtins.js';
import { readCsv } from './csv.js';
import { makeDataset, split, type Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { readIdx } from './idx.js';
import { readJsonDataset } from './json.js';
import { readNpy } from './npy.js';

export type DataOptions = Record<string, string | number | boolean>;

/**
 * Loads a dataset by built-in name (`digits`, `iris`, `xor`) or file path (resolved against
 * `baseDir`, the .nnet file's folder). Options:
 *   label: "col"      CSV label column (default `label`, else the last column)
 *   labels: "y.npy"   NPY/IDX: the file holding the labels (the main file holds the features)
 *   scale: 255        divide every float feature by this (IDX/NPY pixels 0..255 → [0, 1])
 *   test: 0.2         hold out this fraction as the test set (files have no test split of their own)
 *   test_file: "t.csv" a separate test file in the same format
 */
export function loadData(source: string, options: DataOptions = {}, baseDir = process.cwd()): SplitData {
  if (isBuiltin(source)) return loadBuiltin(source);
  if (!/[./\\]/.test(source)) {
    throw new DataError('NNR5006', `unknown dataset '${source}': use a built-in (digits, iris, xor) or a file path (.csv, .json, .npy, .idx)`);
  }
  let train = loadFile(resolvePath(source, baseDir), options, baseDir);
  let test: Dataset | null = null;
  if (typeof options.test_file === 'string') test = loadFile(resolvePath(options.test_file, baseDir), options, baseDir);
  else if (typeof options.test === 'number' && options.test > 0) {
    [train, test] = split(train, options.test, Number(options.seed ?? 0));
  }
  return { train, test };
}

function resolvePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function loadFile(path: string, options: DataOptions, baseDir: string): Dataset {
  const bytes = readBytes(path);
  const ext = extname(path).toLowerCase();
  let dataset: Dataset;
  if (ext === '.csv') {
    dataset = readCsv(new TextDecoder().decode(bytes), { file: path, ...(typeof options.label === 'string' ? { label: options.label } : {}) });
  } else if (ext === '.json') {
    dataset = readJsonDataset(new TextDecoder().decode(bytes), path);
  } else if (ext === '.npy' || ext === '.idx' || /-ubyte$/.test(path)) {
    dataset = arrayDataset(path, bytes, options, baseDir);
  } else {
    throw new DataError('NNR5004', `unknown data file type '${ext || path}' (use .csv, .json, .npy or .idx)`, path);
  }
  return typeof options.scale === 'number' ? scaleFeatures(dataset, options.scale) : dataset;
}

/** NPY/IDX: one array per file; `features` from the main file, `label` from `labels: FILE`. */
function arrayDataset(path: string, bytes: Uint8Array, options: DataOptions, baseDir: string): Dataset {
  const readArray = (file: string, data: Uint8Array): HostTensor => (file.toLowerCase().endsWith('.npy') ? readNpy(data, file) : readIdx(data, file));
  const fields: Record<string, HostTensor> = { features: readArray(path, bytes) };
  if (typeof options.labels === 'string') {
    const labelPath = resolvePath(options.labels, baseDir);
    fields.label = readArray(labelPath, readBytes(labelPath));
  }
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

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError('NNR5001', code === 'ENOENT' ? 'no such file' : `cannot read: ${(err as Error).message}`, path);
  }
}

