import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { gemm } from '../kernels/matmul.js';
import { recurrentKernels } from '../kernels/recurrent.js';
import { activationKernels } from '../kernels/activations.js';
import { perMaskedScan, perScan, RECURRENT_CELLS, type RecurrentCell, type RecurrentCellName } from '../../plan/kernels.js';
import { floatsOf } from './kernel-memory.js';
import { floatOffsetIn, scanModules, writeMaskWords, type ScanModules } from './recurrent-steps.js';
import { transcendentalModule } from './transcendental-simd.js';

/**
 * The recurrent scans' forward pass with the cells in WebAssembly SIMD (transcendental-module.ts),
 * masked or not, for unit counts that are multiples of 4; the JS scans (runtime/cpu/kernels/recurrent.ts)
 * run otherwise. The backward passes are recurrent-grad-simd.ts. The recurrent product runs on the
 * installed GEMM. A masked scan keeps each row's states before the cell runs and, at a padding step,
 * puts them back and zeroes the gates (select_rows of recurrent-module.ts), as masked-steps.ts does in JS.
 *
 * Everything lies in the GEMM module's memory (recurrent-steps.ts): one row per batch item laid out
 * as that step's row of `saved` (S·u floats: LSTM i f g o c h, GRU r z n hn h, RNN h), so the cell
 * state and h carry over in place from step to step, and the GEMM reads h_{t−1} from those rows
 * where it lies (a strided A, rows S·u floats apart) and writes w_hh·h where the sums read it. xw,
 * `saved` and y are the executor's tensors where they lie in that memory (else copied in or out once
 * a call); the bias and the masked scan's kept states sit in a block held between calls. Numerics:
 * float32 throughout and the module's exp/tanh (errors stated in
 * test/runtime/cpu/transcendental-simd.test.ts) instead of float64 Math.exp/Math.tanh.
 */
type SimdCell = 'rnn' | 'lstm' | 'gru';

const CELL_OF: Record<RecurrentCellName, SimdCell> = { rnn: 'rnn', lstm: 'lstm', gru: 'gru', gru_reset_after: 'gru' };

/** Runs the cell over the n rows from byte address `rows`. */
function runCell(modules: ScanModules, cell: SimdCell, rows: number, n: number, u: number): void {
  if (cell === 'lstm') modules.cells.lstm_cells(rows, n, u * 4);
  else if (cell === 'gru') modules.cells.gru_cells(rows, n, u * 4);
  else modules.cells.tanh(rows, rows, n * u * 4);
}

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

function forwardSimd(name: RecurrentCellName, masked: boolean): CpuKernel {
  const cell = CELL_OF[name];
  const layout: RecurrentCell = RECURRENT_CELLS[name];
  const { gates, saved: stored, hOffset } = layout;
  // A saved row is its gates' values, then its states (the LSTM's c and h, the others' h).
  const stateOffset = layout.cOffset ?? hOffset;
  const fallback = masked ? recurrentKernels[`${name}_masked_scan`] : recurrentKernels[`${name}_scan`];
  return (ctx, inputs, outputs, attrs) => {
    const u = attrs.units as number;
    const modules = u % 4 === 0 ? scanModules() : null;
    if (!modules) return fallback(ctx, inputs, outputs, attrs);
    const xwIn = inputs[0];
    const w = inputs[1];
    const recurrentBias = layout.recurrentBias ? inputs[2] : undefined;
    const maskIn = masked ? inputs[inputs.length - 1]! : null;
    // By index, not destructured: destructuring allocates per call where V8 does not optimize it away.
    const n = xwIn!.shape[0]!;
    const t = xwIn!.shape[1]!;
    const g = gates * u;
    const s = stored * u;
    const xw = f32(xwIn!);
    const wd = f32(w!);
    const y = f32(outputs[0]!);
    const saved = f32(outputs[1]!);
    const bias = recurrentBias ? f32(recurrentBias) : null;
    const sequences = attrs.return_sequences === true;
    // Where xw, saved and y lie (float offsets), or null: those are then copied in or out.
    const xwLies = floatOffsetIn(modules, xw);
    const savedLies = floatOffsetIn(modules, saved);
    const yLies = floatOffsetIn(modules, y);
    // The held block (float offsets from its start): the rows, w_hh·h, the recurrent bias, a zero
    // row, the mask words, the states kept from before each step (a masked scan), and xw, saved and
    // y where they are not in the memory.
    const rowsOff = 0;
    const recOff = rowsOff + n * s;
    const biasOff = recOff + n * g;
    const zeroOff = biasOff + g;
    const maskOff = zeroOff + s;
    const keptOff = maskOff + align4(n * t);
    const xwOff = keptOff + (maskIn ? n * s : 0);
    const savedOff = xwOff + (xwLies === null ? n * t * g : 0);
    const yOff = savedOff + (savedLies === null ? n * t * s : 0);
    const base = modules.block.reserve((yOff + (yLies === null ? align4(y.length) : 0)) * 4) / 4;
    const rowsAt = base + rowsOff, recAt = base + recOff, biasAt = base + biasOff;
    const zeroAt = base + zeroOff, maskAt = base + maskOff, keptAt = base + keptOff;
    const xwAt = xwLies ?? base + xwOff;
    const savedAt = savedLies ?? base + savedOff;
    const yAt = yLies ?? base + yOff;
    let floats = floatsOf(modules.memory);
    floats.fill(0, rowsAt, rowsAt + n * s);
    if (xwLies === null) floats.set(xw, xwAt);
    floats.fill(0, zeroAt, maskAt);
    if (bias) floats.set(bias.subarray(0, g), biasAt);
    if (maskIn) writeMaskWords(maskIn.data, floats, maskAt);
    const s4 = s * 4;
    const g4 = g * 4;
    const u4 = u * 4;
    const rows = rowsAt * 4;
    const stateAt = rows + stateOffset * u4;
    const stateBytes = s4 - stateOffset * u4;
    // The GRU's candidate reads its input part and w_hh·h apart (n = tanh(xw_n + r·hn)).
    const summed = cell === 'gru' ? 2 * u : g;
    const { add_rows: add } = modules.cells;
    const { select_rows: select } = modules.steps;
    const hIn = rows + hOffset * u4;
    for (let step = 0; step < t; step++) {
      // The states before the step (before the sums below: the RNN's row is its h alone).
      if (maskIn) add(keptAt * 4 + stateOffset * u4, s4, stateAt, s4, zeroAt * 4, 0, n, stateBytes);
      // w_hh·h_{t−1}: h read in the rows, S·u floats apart (views made where used: the GEMM may grow the memory).
      gemm(modules.block.view(hIn, (n - 1) * s + u), s, 1, wd, 1, u, modules.block.view(recAt * 4, n * g), n, g, u);
      // A cell with a recurrent bias (gru_reset_after) reads w_hh·h + b_hh wherever it reads w_hh·h.
      if (bias) add(recAt * 4, g4, recAt * 4, g4, biasAt * 4, 0, n, g4);
      const x = (xwAt + step * g) * 4;
      add(rows, s4, x, t * g4, recAt * 4, g4, n, summed * 4);
      if (cell === 'gru') {
        add(rows + 2 * u4, s4, x + 2 * u4, t * g4, zeroAt * 4, 0, n, u4);
        add(rows + 3 * u4, s4, (recAt + 2 * u) * 4, g4, zeroAt * 4, 0, n, u4);
      }
      runCell(modules, cell, rows, n, u);
      if (maskIn) {
        // A padding step: gates 0, the states as they were before it (masked-steps.ts).
        const mask = (maskAt + step) * 4;
        if (stateOffset > 0) select(rows, s4, rows, s4, zeroAt * 4, 0, mask, t * 4, n, stateOffset * u4);
        select(stateAt, s4, stateAt, s4, keptAt * 4 + stateOffset * u4, s4, mask, t * 4, n, stateBytes);
      }
      add((savedAt + step * s) * 4, t * s4, rows, s4, zeroAt * 4, 0, n, s4);
      if (sequences) add((yAt + step * u) * 4, t * u4, hIn, s4, zeroAt * 4, 0, n, u4);
    }
    // The last state (the carried one after padding), or every step's h, 0 at a padding step.
    if (!sequences) add(yAt * 4, u4, hIn, s4, zeroAt * 4, 0, n, u4);
    else if (maskIn) select(yAt * 4, u4, yAt * 4, u4, zeroAt * 4, 0, maskAt * 4, 4, n * t, u4);
    floats = floatsOf(modules.memory);
    if (savedLies === null) saved.set(floats.subarray(savedAt, savedAt + n * t * s));
    if (yLies === null) y.set(floats.subarray(yAt, yAt + y.length));
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
