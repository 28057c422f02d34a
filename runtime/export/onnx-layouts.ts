import { RECURRENT_CELLS, type RecurrentCellName } from '../plan/kernels.js';

/**
 * The layout facts between nnet and ONNX, declared once: the exporter builds its Transpose and
 * Gather nodes from them, and bench/cpu/peers.mjs converts weight data with the same tables.
 *
 * - nnet is channels-last: x [N, (H,) W, C], conv weights [M, (kh,) kw, C]; ONNX's Conv and pools
 *   are channels-first: x [N, C, (H,) W], weights [M, C, (kh,) kw]. The same axis permutation turns
 *   an activation and a conv weight from one into the other.
 * - Recurrent weights stack one block of `units` rows per gate: nnet in the order of
 *   RECURRENT_CELLS' docs (LSTM i, f, g, o; GRU r, z, n), ONNX in its own (LSTM i, o, f, c; GRU z, r, h).
 */

/** Spatial rank (1 or 2) → the permutation from channels-last to channels-first, and back. */
export const TO_CHANNELS_FIRST: Record<1 | 2, readonly number[]> = { 1: [0, 2, 1], 2: [0, 3, 1, 2] };
export const TO_CHANNELS_LAST: Record<1 | 2, readonly number[]> = { 1: [0, 2, 1], 2: [0, 2, 3, 1] };

/** For each ONNX gate slot, the nnet gate that fills it. */
const ONNX_GATE_ORDER: Record<RecurrentCellName, readonly number[]> = {
  rnn: [0],
  lstm: [0, 3, 1, 2],
  gru: [1, 0, 2],
  gru_reset_after: [1, 0, 2],
};

/** Row indices that reorder a [gates·units, …] nnet weight into ONNX's gate order (for Gather). */
export function onnxGateRows(cell: RecurrentCellName, units: number): number[] {
  const order = ONNX_GATE_ORDER[cell];
  if (order.length !== RECURRENT_CELLS[cell].gates) throw new Error(`gate order of ${cell} does not cover its gates`);
  return order.flatMap((gate) => Array.from({ length: units }, (_, u) => gate * units + u));
}

/** Permutes the axes of row-major `data` of `shape` (numpy's transpose). */
export function permuteAxes(data: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const out = new Float32Array(data.length);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((p) => shape[p]!);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let from = 0;
    for (let a = 0; a < perm.length; a++) from += index[a]! * strides[perm[a]!]!;
    out[o] = data[from]!;
    for (let a = perm.length - 1; a >= 0; a--) {
      if (++index[a]! < outShape[a]!) break;
      index[a] = 0;
    }
  }
  return out;
}

/** A recurrent weight or bias (rows = gates·units, any row length) in ONNX's gate order. */
export function toOnnxGateOrder(cell: RecurrentCellName, data: Float32Array, units: number): Float32Array {
  const rows = onnxGateRows(cell, units);
  const width = data.length / rows.length;
  const out = new Float32Array(data.length);
  rows.forEach((from, to) => out.set(data.subarray(from * width, (from + 1) * width), to * width));
  return out;
}
