import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { gemm } from '../kernels/matmul.js';
import { recurrentKernels } from '../kernels/recurrent.js';
import { activationKernels } from '../kernels/activations.js';
import { perMaskedScan, perScan, RECURRENT_CELLS, type RecurrentCell, type RecurrentCellName } from '../../plan/kernels.js';
import { recurrentModule, writeMaskWords } from './recurrent-steps.js';
import { transcendentalModule, type TranscendentalModule } from './transcendental-simd.js';

/**
 * The recurrent scans' forward pass with the cells in WebAssembly SIMD (transcendental-module.ts),
 * masked or not, for unit counts that are multiples of 4; the JS scans (runtime/cpu/kernels/recurrent.ts)
 * run otherwise. The backward passes are recurrent-grad-simd.ts. The recurrent product stays on the
 * installed GEMM. A masked scan keeps each row's states before the cell runs and, at a padding step,
 * puts them back and zeroes the gates (select_rows of recurrent-module.ts), as masked-steps.ts does in JS.
 *
 * The module's memory holds one row per batch item laid out as that step's row of `saved` (S·u
 * floats: LSTM i f g o c h, GRU r z n hn h, RNN h), so the cell state and h carry over in place from
 * step to step; each step h is copied out contiguous for the GEMM (a strided A is copied whole), and
 * the rows into every step's [N, T, S] and y in the same memory. xw, w_hh·h (the GEMM writes it
 * there) and the bias sit there too, so adding them is WASM as well; JS copies xw in and `saved`
 * and y out, once a call. Numerics: float32 throughout and the module's exp/tanh (errors stated in
 * test/runtime/cpu/transcendental-simd.test.ts) instead of float64 Math.exp/Math.tanh.
 */
type SimdCell = 'rnn' | 'lstm' | 'gru';

const CELL_OF: Record<RecurrentCellName, SimdCell> = { rnn: 'rnn', lstm: 'lstm', gru: 'gru', gru_reset_after: 'gru' };

/** Runs the cell over the n rows from address 0. */
function runCell(module: TranscendentalModule, cell: SimdCell, n: number, u: number): void {
  if (cell === 'lstm') module.exports.lstm_cells(0, n, u * 4);
  else if (cell === 'gru') module.exports.gru_cells(0, n, u * 4);
  else module.exports.tanh(0, 0, n * u * 4);
}

function forwardSimd(name: RecurrentCellName, masked: boolean): CpuKernel {
  const cell = CELL_OF[name];
  const layout: RecurrentCell = RECURRENT_CELLS[name];
  const { gates, saved: stored, hOffset } = layout;
  // A saved row is its gates' values, then its states (the LSTM's c and h, the others' h).
  const stateOffset = layout.cOffset ?? hOffset;
  const fallback = masked ? recurrentKernels[`${name}_masked_scan`] : recurrentKernels[`${name}_scan`];
  return (ctx, inputs, outputs, attrs) => {
    const u = attrs.units as number;
    const module = u % 4 === 0 ? transcendentalModule() : null;
    const steps = module && masked ? recurrentModule() : null;
    if (!module || (masked && !steps)) return fallback(ctx, inputs, outputs, attrs);
    const xwIn = inputs[0];
    const w = inputs[1];
    const recurrentBias = layout.recurrentBias ? inputs[2] : undefined;
    const maskIn = masked ? inputs[inputs.length - 1]! : null;
    const [yOut, savedOut] = outputs;
    const [n, t] = [xwIn!.shape[0]!, xwIn!.shape[1]!];
    const [g, s] = [gates * u, stored * u];
    const [xw, wd, y, saved] = [f32(xwIn!), f32(w!), f32(yOut!), f32(savedOut!)];
    const bias = recurrentBias ? f32(recurrentBias) : null;
    const sequences = attrs.return_sequences === true;
    // The module's memory: the rows, then xw (all steps), w_hh·h, the recurrent bias, a zero row, the
    // mask words and the states kept from before each step (a masked scan), h_{t−1} contiguous (the
    // GEMM's A), and every step's rows and outputs ([N, T, S] and y), copied out once at the end.
    const xwAt = n * s;
    const recAt = xwAt + n * t * g;
    const biasAt = recAt + n * g;
    const zeroAt = biasAt + g;
    const maskAt = zeroAt + s;
    const keptAt = maskAt + Math.ceil((n * t) / 4) * 4;
    const hAt = keptAt + (maskIn ? n * s : 0);
    const savedAt = hAt + n * u;
    const yAt = savedAt + n * t * s;
    const top = yAt + y.length;
    const floats = module.reserve(top * 4);
    floats.fill(0, 0, n * s);
    floats.set(xw, xwAt);
    floats.fill(0, zeroAt, maskAt);
    if (bias) floats.set(bias.subarray(0, g), biasAt);
    if (maskIn) writeMaskWords(maskIn.data, floats, maskAt);
    const h = floats.subarray(hAt, hAt + n * u);
    const rec = floats.subarray(recAt, recAt + n * g);
    const [s4, g4, u4] = [s * 4, g * 4, u * 4];
    const [stateAt, stateBytes] = [stateOffset * u4, s4 - stateOffset * u4];
    // The GRU's candidate reads its input part and w_hh·h apart (n = tanh(xw_n + r·hn)).
    const summed = cell === 'gru' ? 2 * u : g;
    const add = module.exports.add_rows;
    const hIn = hOffset * u4;
    for (let step = 0; step < t; step++) {
      // The states before the step (before the sums below: the RNN's row is its h alone).
      if (maskIn) add(keptAt * 4 + stateAt, s4, stateAt, s4, zeroAt * 4, 0, n, stateBytes);
      add(hAt * 4, u4, hIn, s4, zeroAt * 4, 0, n, u4);
      gemm(h, u, 1, wd, 1, u, rec, n, g, u);
      // A cell with a recurrent bias (gru_reset_after) reads w_hh·h + b_hh wherever it reads w_hh·h.
      if (bias) add(recAt * 4, g4, recAt * 4, g4, biasAt * 4, 0, n, g4);
      const x = (xwAt + step * g) * 4;
      add(0, s4, x, t * g4, recAt * 4, g4, n, summed * 4);
      if (cell === 'gru') {
        add(2 * u4, s4, x + 2 * u4, t * g4, zeroAt * 4, 0, n, u4);
        add(3 * u4, s4, (recAt + 2 * u) * 4, g4, zeroAt * 4, 0, n, u4);
      }
      runCell(module, cell, n, u);
      if (maskIn) {
        // A padding step: gates 0, the states as they were before it (masked-steps.ts).
        const select = steps!.exports.select_rows;
        const mask = (maskAt + step) * 4;
        if (stateAt > 0) select(0, s4, 0, s4, zeroAt * 4, 0, mask, t * 4, n, stateAt);
        select(stateAt, s4, stateAt, s4, keptAt * 4 + stateAt, s4, mask, t * 4, n, stateBytes);
      }
      add((savedAt + step * s) * 4, t * s4, 0, s4, zeroAt * 4, 0, n, s4);
      if (sequences) add((yAt + step * u) * 4, t * u4, hIn, s4, zeroAt * 4, 0, n, u4);
    }
    // The last state (the carried one after padding), or every step's h, 0 at a padding step.
    if (!sequences) add(yAt * 4, u4, hIn, s4, zeroAt * 4, 0, n, u4);
    else if (maskIn) steps!.exports.select_rows(yAt * 4, u4, yAt * 4, u4, zeroAt * 4, 0, maskAt * 4, 4, n * t, u4);
    saved.set(floats.subarray(savedAt, savedAt + n * t * s));
    y.set(floats.subarray(yAt, yAt + y.length));
  };
}

/** The forward scans, one per cell of the plan, unmasked and masked. */
export const recurrentScanSimd = {
  ...perScan((cell) => forwardSimd(cell, false)),
  ...perMaskedScan((cell) => forwardSimd(cell, true)),
};

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
