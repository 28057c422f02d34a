import type { HostTensor } from '../tensor.js';
import { makeDataset, type Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { nestsDeeperThan } from '../plan/json-depth.js';

/**
 * Reads a JSON dataset in one of two shapes:
 *   - an array of records, `[{"x": [0, 1], "label": 1}, ...]`: one field per key;
 *   - an object of equal-length arrays, `{"inputs": [[0, 1], ...], "labels": [1, ...]}`.
 * The label field is `labels` or `label` when present. Every sample of a field must have the same
 * nested shape; a field whose values are all integers is read as i32, otherwise f32.
 */
export function readJsonDataset(text: string, file = '<json>'): Dataset {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DataError('NNR5002', `invalid JSON: ${(err as Error).message}`, file);
  }
  // Records or columns (2 levels) around samples of at most MAX_NESTING axes.
  if (nestsDeeperThan(value, MAX_NESTING + 2)) throw new DataError('NNR5007', `lists or objects nest more than ${MAX_NESTING + 2} levels deep`, file);
  const columns = Array.isArray(value) ? recordsToColumns(value, file) : objectColumns(value, file);
  // Keyed by names from the file: no prototype, so `__proto__` or `constructor` is a field like any other.
  const fields: Record<string, HostTensor> = Object.create(null) as Record<string, HostTensor>;
  for (const [name, samples] of Object.entries(columns)) fields[name] = samplesToTensor(samples, `${file}: field '${name}'`);
  const labelField = Object.hasOwn(fields, 'labels') ? 'labels' : Object.hasOwn(fields, 'label') ? 'label' : undefined;
  try {
    return makeDataset(fields, labelField);
  } catch (err) {
    throw new DataError('NNR5002', (err as Error).message, file);
  }
}

function recordsToColumns(records: unknown[], file: string): Record<string, unknown[]> {
  if (records.length === 0) throw new DataError('NNR5002', 'the JSON array is empty', file);
  const columns: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  const keys = Object.keys(asRecord(records[0], `${file}: record 1`));
  for (const key of keys) columns[key] = [];
  records.forEach((item, i) => {
    const record = asRecord(item, `${file}: record ${i + 1}`);
    for (const key of keys) {
      if (!Object.hasOwn(record, key)) throw new DataError('NNR5002', `record ${i + 1} has no field '${key}'`, file);
      columns[key]!.push(record[key]);
    }
  });
  return columns;
}

function objectColumns(value: unknown, file: string): Record<string, unknown[]> {
  const record = asRecord(value, file);
  const columns: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
  for (const [key, column] of Object.entries(record)) {
    if (!Array.isArray(column)) throw new DataError('NNR5002', `field '${key}' must be an array of samples`, file);
    columns[key] = column;
  }
  return columns;
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataError('NNR5002', `${where}: expected an object`);
  }
  return value as Record<string, unknown>;
}

/** Stacks samples (numbers or nested lists) into one tensor of shape [samples, ...sample shape]. */
function samplesToTensor(samples: unknown[], where: string): HostTensor {
  const sampleShape = samples.length > 0 ? nestedShape(samples[0], where) : [];
  const flat: number[] = [];
  samples.forEach((sample, i) => flatten(sample, sampleShape, 0, flat, `${where}, sample ${i + 1}`));
  const integral = flat.every(Number.isInteger);
  return {
    shape: [samples.length, ...sampleShape],
    dtype: integral ? 'i32' : 'f32',
    data: integral ? Int32Array.from(flat) : Float32Array.from(flat),
  };
}

/** Samples nest at most this deep (a sample's rank); deeper JSON is refused before any recursive walk. */
const MAX_NESTING = 32;

function nestedShape(value: unknown, where = '<json>'): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    if (shape.length === MAX_NESTING) throw new DataError('NNR5007', `${where}: lists nest more than ${MAX_NESTING} levels deep`);
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flatten(value: unknown, shape: number[], depth: number, out: number[], where: string): void {
  if (depth === shape.length) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new DataError('NNR5003', `${where}: ${JSON.stringify(value)} is not a number`);
    }
    out.push(value);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    const got = Array.isArray(value) ? `${value.length} entries` : JSON.stringify(value);
    throw new DataError('NNR5002', `${where}: ragged nesting at depth ${depth + 1}: expected ${shape[depth]} entries, got ${got}`);
  }
  for (const item of value) flatten(item, shape, depth + 1, out, where);
}
