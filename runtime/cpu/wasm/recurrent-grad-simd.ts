import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { gemm } from '../kernels/matmul.js';
import { recurrentKernels } from '../kernels/recurrent.js';
import { perMaskedScanGrad, perScanGrad, RECURRENT_CELLS, type RecurrentCell, type RecurrentCellName } from '../../plan/kernels.js';
import { floatsOf } from './kernel-memory.js';
import { floatOffsetIn, scanModules, writeAllSteps, writeMaskWords } from './recurrent-steps.js';

/**
 * Backpropagation through time of the scans (`<cell>_scan_grad`, `<cell>_masked_scan_grad`) with the
 * cells in WebAssembly SIMD (recurrent-module.ts), for unit counts that are multiples of 4; the JS
 * kernels (runtime/cpu/kernels/recurrent.ts) otherwise.
 *
 * Per call, in the GEMM module's memory (recurrent-steps.ts): `saved` [N,T,S], dy and dxw [N,T,G]
 * are the executor's tensors where they lie there (else copied in or out once a call), and a block
 * held between calls holds, floats:
 *   [ mask words | dhw [T,N,G] | h_{t−1} [T,N,u] | dh | dhNext | carry | direct [N,u] | zeros | db_hh [G] | dy' ]
 * Per step, last to first: dh = dhNext + dy_t (add_rows), the cell (the step's rows of dxw, and of dhw,
 * the gradient of the recurrent product: the GRU's candidate differs; the LSTM's carry; `direct`), then
 * dhNext = dhw_t·w_hh on the installed GEMM (+ direct where a cell or a mask leaves one), which reads
 * dhw_t and writes dhNext where they lie. dhw is laid out step by step so that a step's [N, G] is
 * contiguous. The recurrent weight gradient is not taken per step: after the loop, dw_hh = dhwᵀ·h_{t−1}
 * is one GEMM over all T·N rows (h_{−1} = 0), and db_hh the column sums of dhw (add_rows down the rows).
 * A masked sequence's dy is read zeroed at its padding steps (y is 0 there: select_rows into dy'), so dh
 * carries no output gradient at those steps.
 *
 * Numerics: float32 throughout, tanh(c) by the module; the weight gradient sums over (n, t) in one
 * product rather than step by step. Within 2e-6 (relative to the largest value) of the JS kernels
 * (test/runtime/cpu/recurrent-grad-simd.test.ts).
 * Threads: the GEMMs split over the worker pool as every GEMM; a step's cells (N·u values) are too
 * little work to split.
 */
type BackFunction = 'rnn_back' | 'lstm_back' | 'gru_back';
const BACK_OF: Record<RecurrentCellName, BackFunction> = { rnn: 'rnn_back', lstm: 'lstm_back', gru: 'gru_back', gru_reset_after: 'gru_back' };

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

function backwardSimd(name: RecurrentCellName, masked: boolean): CpuKernel {
  const layout: RecurrentCell = RECURRENT_CELLS[name];
  const back = BACK_OF[name];
  const { gates, saved: stored, hOffset } = layout;
  const hasDirect = back === 'gru_back' || masked;
  const fallback = masked ? recurrentKernels[`${name}_masked_scan_grad`] : recurrentKernels[`${name}_scan_grad`];
  return (ctx, inputs, outputs, attrs) => {
    const u = attrs.units as number;
    const modules = u % 4 === 0 ? scanModules() : null;
    if (!modules) return fallback(ctx, inputs, outputs, attrs);
    // By index, not destructured: destructuring allocates per call where V8 does not optimize it away.
    const maskIn = masked ? inputs[3]! : null;
    const dxwOut = outputs[0]!;
    const dbOut = outputs[2];
    const n = dxwOut.shape[0]!;
    const t = dxwOut.shape[1]!;
    const g = gates * u;
    const s = stored * u;
    const sequences = attrs.return_sequences === true;
    const dy = f32(inputs[0]!);
    const wd = f32(inputs[1]!);
    const saved = f32(inputs[2]!);
    const dxw = f32(dxwOut);
    const dw = f32(outputs[1]!);
    const db = dbOut ? f32(dbOut) : null;
    const rows = n * t;
    const savedLies = floatOffsetIn(modules, saved);
    const dyLies = floatOffsetIn(modules, dy);
    const dxwLies = floatOffsetIn(modules, dxw);
    // y is 0 at a padding step of a sequence: dy is read through a copy zeroed there (dy').
    const zeroDy = maskIn !== null && sequences;
    // The held block (float offsets from its start; every part a multiple of 4 floats, so byte
    // addresses stay 16-aligned), then saved, dy and dxw where they are not in the memory.
    const maskOff = 0;
    const dhwOff = maskOff + align4(maskIn ? rows : 1);
    const hPrevOff = dhwOff + rows * g;
    const dhOff = hPrevOff + rows * u;
    const zeroOff = dhOff + 4 * n * u;
    const dbOff = zeroOff + Math.max(s, g);
    const dyOff = dbOff + g;
    const savedOff = dyOff + (dyLies === null || zeroDy ? align4(dy.length) : 0);
    const dxwOff = savedOff + (savedLies === null ? rows * s : 0);
    const base = modules.block.reserve((dxwOff + (dxwLies === null ? rows * g : 0)) * 4) / 4;
    const maskAt = base + maskOff, dhwAt = base + dhwOff, hPrevAt = base + hPrevOff, dhAt = base + dhOff;
    const dhNextAt = dhAt + n * u, carryAt = dhAt + 2 * n * u, directAt = dhAt + 3 * n * u;
    const zeroAt = base + zeroOff, dbAt = base + dbOff;
    const dyAt = dyLies !== null && !zeroDy ? dyLies : base + dyOff;
    const savedAt = savedLies ?? base + savedOff;
    const dxwAt = dxwLies ?? base + dxwOff;
    let floats = floatsOf(modules.memory);
    if (savedLies === null) floats.set(saved, savedAt);
    if (dyLies === null) floats.set(dy, dyAt);
    floats.fill(0, dhAt, dyOff + base);
    if (maskIn) writeMaskWords(maskIn.data, floats, maskAt);
    else writeAllSteps(floats, maskAt);
    const x = modules.steps;
    const u4 = u * 4;
    const g4 = g * 4;
    const s4 = s * 4;
    const maskStride = maskIn ? t * 4 : 0;
    if (zeroDy) x.select_rows(dyAt * 4, u4, (dyLies ?? dyAt) * 4, u4, zeroAt * 4, 0, maskAt * 4, 4, rows, u4);
    const { block } = modules;
    for (let step = t - 1; step >= 0; step--) {
      // dh = dhNext + the output's gradient at this step (every step's with sequences, else the last's).
      if (sequences) x.add_rows(dhAt * 4, u4, dhNextAt * 4, u4, (dyAt + step * u) * 4, t * u4, n, u4);
      else if (step === t - 1) x.add_rows(dhAt * 4, u4, dhNextAt * 4, u4, dyAt * 4, u4, n, u4);
      else x.add_rows(dhAt * 4, u4, dhNextAt * 4, u4, zeroAt * 4, 0, n, u4);
      const prevAt = step > 0 ? (savedAt + (step - 1) * s) * 4 : zeroAt * 4;
      x[back](
        (savedAt + step * s) * 4, prevAt, t * s4, step > 0 ? t * s4 : 0,
        dhAt * 4, (dxwAt + step * g) * 4, t * g4, (dhwAt + step * n * g) * 4, g4,
        (maskAt + (maskIn ? step : 0)) * 4, maskStride, carryAt * 4, directAt * 4, n, u4,
      );
      if (step === 0) break;
      // dhNext[N, u] = dhw_t[N, G]·w_hh[G, u] (+ what passes by w_hh); views made where used (the GEMM may grow the memory).
      gemm(block.view((dhwAt + step * n * g) * 4, n * g), g, 1, wd, u, 1, block.view(dhNextAt * 4, n * u), n, u, g);
      if (hasDirect) x.add_rows(dhNextAt * 4, u4, dhNextAt * 4, u4, directAt * 4, u4, n, u4);
    }
    // h_{t−1} of every (t, n) row, zeros at t = 0; then dw_hh[G, u] = dhwᵀ[G, T·N]·h_{t−1}[T·N, u].
    floats = floatsOf(modules.memory);
    floats.fill(0, hPrevAt, hPrevAt + n * u);
    for (let step = 1; step < t; step++) {
      x.add_rows((hPrevAt + step * n * u) * 4, u4, (savedAt + (step - 1) * s + hOffset * u) * 4, t * s4, zeroAt * 4, 0, n, u4);
    }
    gemm(block.view(dhwAt * 4, rows * g), 1, g, block.view(hPrevAt * 4, rows * u), u, 1, dw, g, u, rows);
    floats = floatsOf(modules.memory);
    if (db) {
      x.add_rows(dbAt * 4, 0, dbAt * 4, 0, dhwAt * 4, g4, rows, g4);
      db.set(floats.subarray(dbAt, dbAt + g));
    }
    if (dxwLies === null) dxw.set(floats.subarray(dxwAt, dxwAt + rows * g));
  };
}

/** The backward scans, one per cell, unmasked and masked. */
export const recurrentGradSimd = {
  ...perScanGrad((cell) => backwardSimd(cell, false)),
  ...perMaskedScanGrad((cell) => backwardSimd(cell, true)),
};
