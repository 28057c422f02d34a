import { sizeOf, type HostData, type HostTensor } from '../tensor.js';
import { permutation } from './random.js';

/**
 * A dataset: named tensors that share their first axis (the sample axis). Readers produce one,
 * built-ins produce one per split, and the loop batches it. Immutable: every operation returns a
 * new dataset that copies only the rows it keeps.
 */
export interface Dataset {
  /** Field name → tensor of shape [length, ...sample shape]. */
  readonly fields: Readonly<Record<string, HostTensor>>;
  readonly length: number;
  /** The field holding the targets, when the source knows it (`label` for built-ins). */
  readonly labelField?: string;
}

export function makeDataset(fields: Record<string, HostTensor>, labelField?: string): Dataset {
  const names = Object.keys(fields);
  if (names.length === 0) throw new Error('a dataset needs at least one field');
  const length = fields[names[0]!]!.shape[0] ?? 0;
  for (const name of names) {
    const n = fields[name]!.shape[0];
    if (n !== length) throw new Error(`dataset field '${name}' has ${n} samples, '${names[0]}' has ${length}`);
  }
  return labelField === undefined ? { fields, length } : { fields, length, labelField };
}

/** The rows at `indices`, in that order. */
export function takeRows(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const fields: Record<string, HostTensor> = {};
  for (const [name, tensor] of Object.entries(dataset.fields)) fields[name] = gatherRows(tensor, indices);
  return { ...dataset, fields, length: indices.length };
}

export function gatherRows(tensor: HostTensor, indices: ArrayLike<number>): HostTensor {
  const rowSize = sizeOf(tensor.shape.slice(1));
  const data = tensor.dtype === 'f32' ? new Float32Array(indices.length * rowSize) : new Int32Array(indices.length * rowSize);
  gatherInto(tensor.data, indices, 0, indices.length, rowSize, data);
  return { shape: [indices.length, ...tensor.shape.slice(1)], dtype: tensor.dtype, data };
}

/** The same samples in an order fixed by `seed`. */
export function shuffle(dataset: Dataset, seed: number): Dataset {
  return takeRows(dataset, permutation(dataset.length, seed));
}

/**
 * Splits off the last `fraction` of the samples after a seeded shuffle: `[rest, heldOut]`.
 * With the same seed and data the split is always the same.
 */
export function split(dataset: Dataset, fraction: number, seed: number): [Dataset, Dataset] {
  if (!(fraction >= 0 && fraction < 1)) throw new Error(`split fraction must be in [0, 1), got ${fraction}`);
  const order = permutation(dataset.length, seed);
  const held = Math.round(dataset.length * fraction);
  const keep = dataset.length - held;
  return [takeRows(dataset, order.subarray(0, keep)), takeRows(dataset, order.subarray(keep))];
}

/** Consecutive batches of at most `size` samples; the last one may be smaller. */
export function* batches(dataset: Dataset, size: number): Generator<Dataset> {
  for (let start = 0; start < dataset.length; start += size) {
    const end = Math.min(start + size, dataset.length);
    const fields: Record<string, HostTensor> = {};
    for (const [name, tensor] of Object.entries(dataset.fields)) fields[name] = sliceRows(tensor, start, end);
    yield { ...dataset, fields, length: end - start };
  }
}

/**
 * The batches of `shuffle(dataset, seed)`, the same samples in the same order, each gathered only
 * when it is drawn, into buffers the next batch reuses: a batch is valid until the next one is asked
 * for (the training loops read it within the iteration). Shuffling first copied every sample once
 * more per epoch (22 MB for the digits, most of it into freshly mapped pages) before any batch was cut.
 */
export function* shuffledBatches(dataset: Dataset, size: number, seed: number): Generator<Dataset> {
  const order = permutation(dataset.length, seed);
  const rows = Math.min(size, dataset.length);
  const fields = Object.entries(dataset.fields).map(([name, tensor]) => {
    const rowSize = sizeOf(tensor.shape.slice(1));
    const buffer = tensor.dtype === 'f32' ? new Float32Array(rows * rowSize) : new Int32Array(rows * rowSize);
    return { name, tensor, rowSize, buffer, sampleShape: tensor.shape.slice(1) };
  });
  for (let start = 0; start < dataset.length; start += size) {
    const end = Math.min(start + size, dataset.length);
    const batch: Record<string, HostTensor> = {};
    for (const { name, tensor, rowSize, buffer, sampleShape } of fields) {
      gatherInto(tensor.data, order, start, end, rowSize, buffer);
      const data = end - start === rows ? buffer : buffer.subarray(0, (end - start) * rowSize);
      batch[name] = { shape: [end - start, ...sampleShape], dtype: tensor.dtype, data };
    }
    yield { ...dataset, fields: batch, length: end - start };
  }
}

/**
 * Rows order[start..end) of `from` (rows of `rowSize` values) into `to`, one after another: a
 * block copy per row (a view per row: 64 a batch), value by value for rows too short to be worth one.
 */
function gatherInto(from: HostData, order: ArrayLike<number>, start: number, end: number, rowSize: number, to: HostData): void {
  for (let i = start, at = 0; i < end; i++, at += rowSize) {
    const row = order[i]! * rowSize;
    if (rowSize >= BLOCK_COPY_VALUES) to.set(from.subarray(row, row + rowSize), at);
    else for (let j = 0; j < rowSize; j++) to[at + j] = from[row + j]!;
  }
}

const BLOCK_COPY_VALUES = 16;

export function sliceRows(tensor: HostTensor, start: number, end: number): HostTensor {
  const rowSize = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
  return {
    shape: [end - start, ...tensor.shape.slice(1)],
    dtype: tensor.dtype,
    data: tensor.data.subarray(start * rowSize, end * rowSize),
  };
}

export function batchCount(length: number, size: number): number {
  return Math.ceil(length / size);
}
