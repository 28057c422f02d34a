import { readFileGuarded } from '../../files/guarded-files.js';
import { isAbsolute, resolve } from 'node:path';
import { isBuiltin, loadBuiltin, type SplitData } from './builtins.js';
import { makeDataset, type Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { isArrayFile, parseDataFile, withTestSet, type DataOptions } from './parse.js';

export type { DataOptions } from './parse.js';

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
  const train = loadFile(resolvePath(source, baseDir), options, baseDir);
  const testFile = typeof options.test_file === 'string' ? loadFile(resolvePath(options.test_file, baseDir), options, baseDir) : null;
  return withTestSet(train, options, testFile);
}

function resolvePath(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function loadFile(path: string, options: DataOptions, baseDir: string): Dataset {
  const labelPath = typeof options.labels === 'string' && isArrayFile(path) ? resolvePath(options.labels, baseDir) : null;
  return parseDataFile(path, readBytes(path), options, labelPath ? { path: labelPath, bytes: readBytes(labelPath) } : undefined);
}

function readBytes(path: string): Uint8Array {
  return readFileGuarded(path, { code: 'NNR5001', what: 'the data file' });
}

