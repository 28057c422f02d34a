import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { gemm } from '../kernels/matmul.js';
import { recurrentKernels } from '../kernels/recurrent.js';
import { activationKernels } from '../kernels/activations.js';
import { RECURRENT_CELLS, type RecurrentCellName } from '../../plan/kernels.js';
import { transcendentalModule, type TranscendentalModule } from './transcendental-simd.js';

/**
 * The recurrent scans' forward pass with the cells in WebAssembly SIMD (transcendental-module.ts),
 * for unit counts that are multiples of 4; the JS scans (runtime/cpu/kernels/recurrent.ts) run
 * otherwise, and for every backward pass. The recurrent product stays on the installed GEMM.
 *
 * The module's memory holds one row per batch item laid out as that step's row of `saved` (S·u
 * floats: LSTM i f g o c h, GRU r z n hn h, RNN h), so the cell state and h carry over in place from
 * step to step, the GEMM reads h from there (row stride S·u), and each row is copied to `saved` as
 * it stands. Numerics: float32 throughout and the module's exp/tanh (errors stated in
 * test/runtime/cpu/transcendental-simd.test.ts) instead of float64 Math.exp/Math.tanh.
 */
type SimdCell = 'rnn' | 'lstm' | 'gru';

const CELL_OF: Record<RecurrentCellName, SimdCell> = { rnn: 'rnn', lstm: 'lstm', gru: 'gru', gru_reset_after: 'gru' };

/** Scratch for the recurrent product, grown as needed (kernels run one at a time). */
let recScratch = new Float32Array(0);
function recOf(size: number): Float32Array {
  if (recScratch.length < size) recScratch = new Float32Array(size);
  return recScratch.length === size ? recScratch : recScratch.subarray(0, size);
}

/** Runs the cell over the n rows from address 0. */
function runCell(module: TranscendentalModule, cell: SimdCell, n: number, u: number): void {
  if (cell === 'lstm') module.exports.lstm_cells(0, n, u * 4);
  else if (cell === 'gru') module.exports.gru_cells(0, n, u * 4);
  else module.exports.tanh(0, 0, n * u * 4);
}

function forwardSimd(name: RecurrentCellName): CpuKernel {
  const cell = CELL_OF[name];
  const { gates, saved: stored, hOffset } = RECURRENT_CELLS[name];
  const fallback = recurrentKernels[`${name}_scan`];
  return (ctx, inputs, outputs, attrs) => {
    const u = attrs.units as number;
    const module = u % 4 === 0 ? transcendentalModule() : null;
    if (!module) return fallback(ctx, inputs, outputs, attrs);
    const [xwIn, w, recurrentBias] = inputs;
    const [yOut, savedOut] = outputs;
    const [n, t] = [xwIn!.shape[0]!, xwIn!.shape[1]!];
    const [g, s] = [gates * u, stored * u];
    const [xw, wd, y, saved] = [f32(xwIn!), f32(w!), f32(yOut!), f32(savedOut!)];
    const bias = recurrentBias ? f32(recurrentBias) : null;
    const sequences = attrs.return_sequences === true;
    const rows = module.reserve(n * s * 4);
    rows.fill(0, 0, n * s);
    const h = rows.subarray(hOffset * u);
    const rec = recOf(n * g);
    // The GRU's candidate reads its input part and w_hh·h apart (n = tanh(xw_n + r·hn)).
    const summed = cell === 'gru' ? 2 * u : g;
    // Views of each batch row and its h, made once per call (a view per row per step was garbage).
    const rowViews = Array.from({ length: n }, (_, b) => rows.subarray(b * s, b * s + s));
    const hViews = Array.from({ length: n }, (_, b) => rows.subarray(b * s + hOffset * u, b * s + hOffset * u + u));
    y.fill(0);
    for (let step = 0; step < t; step++) {
      gemm(h, s, 1, wd, 1, u, rec, n, g, u);
      for (let b = 0; b < n; b++) {
        const row = b * s;
        const x = (b * t + step) * g;
        const r = b * g;
        if (bias) for (let k = 0; k < g; k++) rec[r + k]! += bias[k]!;
        for (let k = 0; k < summed; k++) rows[row + k] = xw[x + k]! + rec[r + k]!;
        for (let k = summed; k < g; k++) {
          rows[row + k] = xw[x + k]!;
          rows[row + k + u] = rec[r + k]!;
        }
      }
      runCell(module, cell, n, u);
      for (let b = 0; b < n; b++) {
        saved.set(rowViews[b]!, (b * t + step) * s);
        if (sequences) y.set(hViews[b]!, (b * t + step) * u);
        else if (step === t - 1) y.set(hViews[b]!, b * u);
      }
    }
  };
}

/** The forward scans, one per cell of the plan. */
export const recurrentScanSimd = Object.fromEntries(
  (Object.keys(RECURRENT_CELLS) as RecurrentCellName[]).map((name) => [`${name}_scan`, forwardSimd(name)]),
) as Record<`${RecurrentCellName}_scan`, CpuKernel>;

/** sigmoid or tanh as a pass of its own, over a multiple of 4 values (the JS kernel runs the rest). */
function activationSimd(name: 'sigmoid' | 'tanh'): CpuKernel {
  const fallback = activationKernels[name];
  return (ctx, inputs, outputs, attrs) => {
    const x = f32(inputs[0]!);
    const module = x.length % 4 === 0 ? transcendentalModule() : null;
    if (!module) return fallback(ctx, inputs, outputs, attrs);
    const floats = module.reserve(x.length * 4);
    floats.set(x);
    module.exports[name](0, 0, x.length * 4);
    f32(outputs[0]!).set(floats.subarray(0, x.length));
  };
}

export const sigmoidSimd = activationSimd('sigmoid');
export const tanhSimd = activationSimd('tanh');
