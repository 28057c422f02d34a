import type { Attrs, CpuKernel, CpuTensor, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { gemm } from './matmul.js';
import { perMaskedScan, perMaskedScanGrad, perScan, perScanGrad, RECURRENT_CELLS, type RecurrentCell, type RecurrentCellName } from '../../plan/kernels.js';
import { maskedBackwardStep, maskedForwardStep } from './masked-steps.js';

/**
 * The recurrences rnn_scan, lstm_scan, gru_scan, gru_reset_after_scan (gru_scan with a recurrent bias)
 * and their backpropagation through time. The input
 * projection xw = x·w_ihᵀ + bias comes in precomputed for every step ([N, T, G·u]); each step adds
 * w_hh·h_{t−1} (one SGEMM over the whole batch) and applies the cell. Every step's gate values and
 * states go to `saved` ([N, T, S·u]) so the backward pass never recomputes the forward one.
 */
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export interface Scan {
  n: number; t: number; u: number; g: number; s: number;
  xw: Float32Array; w: Float32Array; saved: Float32Array; y: Float32Array; sequences: boolean;
}

function scanOf(xw: CpuTensor, w: CpuTensor, saved: CpuTensor, y: CpuTensor, attrs: Attrs, gates: number, stored: number): Scan {
  const u = attrs.units as number;
  return { n: xw.shape[0]!, t: xw.shape[1]!, u, g: gates * u, s: stored * u, xw: f32(xw), w: f32(w), saved: f32(saved), y: f32(y), sequences: attrs.return_sequences === true };
}

/** rec[N, G] = h[N, u]·w_hhᵀ. */
function recurrentProduct(h: Float32Array, w: Float32Array, rec: Float32Array, n: number, g: number, u: number): void {
  gemm(h, u, 1, w, 1, u, rec, n, g, u);
}

function emit(sc: Scan, b: number, step: number, j: number, h: number): void {
  if (sc.sequences) sc.y[(b * sc.t + step) * sc.u + j] = h;
  else if (step === sc.t - 1) sc.y[b * sc.u + j] = h;
}

/**
 * One step of a cell over the whole batch: each cell has its own loop (a loop shared by the cells
 * would call them through one call site, which V8 does not inline).
 */
type CellStep = (sc: Scan, rec: Float32Array, h: Float32Array, c: Float32Array, step: number) => void;

/**
 * Scratch of the scans (states, products, gradients), grown as needed and reused: kernels run one at
 * a time, and a fresh array per call was garbage every step.
 */
const scratch = new Map<string, Float32Array>();
function zeroed(name: string, size: number): Float32Array {
  let data = scratch.get(name);
  if (!data || data.length < size) scratch.set(name, (data = new Float32Array(size)));
  const view = data.length === size ? data : data.subarray(0, size);
  view.fill(0);
  return view;
}

/** The forward scan; `masked`: the last input is a mask [N, T] (masked-steps.ts says what a masked step does). */
function forward(layout: RecurrentCell, cell: CellStep, masked: boolean): CpuKernel {
  return (_ctx, inputs, [y, saved], attrs) => {
    const [xw, w] = inputs;
    const recurrentBias = layout.recurrentBias ? inputs[2] : undefined;
    const sc = scanOf(xw!, w!, saved!, y!, attrs, layout.gates, layout.saved);
    const h = zeroed('h', sc.n * sc.u);
    const c = zeroed('c', sc.n * sc.u);
    const rec = zeroed('rec', sc.n * sc.g);
    const bias = recurrentBias ? f32(recurrentBias) : null;
    const mask = masked ? inputs[inputs.length - 1]!.data : null;
    const kept = mask ? { h: zeroed('keptH', sc.n * sc.u), c: zeroed('keptC', sc.n * sc.u) } : null;
    sc.y.fill(0);
    for (let step = 0; step < sc.t; step++) {
      recurrentProduct(h, sc.w, rec, sc.n, sc.g, sc.u);
      // A cell with a recurrent bias (gru_reset_after) reads w_hh·h + b_hh wherever it reads w_hh·h.
      if (bias) for (let b = 0; b < sc.n; b++) for (let k = 0; k < sc.g; k++) rec[b * sc.g + k]! += bias[k]!;
      if (kept) {
        kept.h.set(h);
        kept.c.set(c);
      }
      cell(sc, rec, h, c, step);
      if (mask) maskedForwardStep(sc, layout, mask, step, h, c, kept!);
    }
  };
}

const rnnCell: CellStep = (sc, rec, h, _c, step) => {
  for (let b = 0; b < sc.n; b++) {
    for (let j = 0; j < sc.u; j++) {
      const row = b * sc.t + step;
      const value = Math.tanh(sc.xw[row * sc.g + j]! + rec[b * sc.g + j]!);
      h[b * sc.u + j] = value;
      sc.saved[row * sc.s + j] = value;
      emit(sc, b, step, j, value);
    }
  }
};

const lstmCell: CellStep = (sc, rec, h, c, step) => {
  for (let b = 0; b < sc.n; b++) {
    for (let j = 0; j < sc.u; j++) {
      const row = b * sc.t + step;
      const u = sc.u;
      const x = row * sc.g + j;
      const r = b * sc.g + j;
      const i = sigmoid(sc.xw[x]! + rec[r]!);
      const f = sigmoid(sc.xw[x + u]! + rec[r + u]!);
      const g = Math.tanh(sc.xw[x + 2 * u]! + rec[r + 2 * u]!);
      const o = sigmoid(sc.xw[x + 3 * u]! + rec[r + 3 * u]!);
      const cell = f * c[b * u + j]! + i * g;
      const value = o * Math.tanh(cell);
      c[b * u + j] = cell;
      h[b * u + j] = value;
      const s = row * sc.s + j;
      sc.saved[s] = i;
      sc.saved[s + u] = f;
      sc.saved[s + 2 * u] = g;
      sc.saved[s + 3 * u] = o;
      sc.saved[s + 4 * u] = cell;
      sc.saved[s + 5 * u] = value;
      emit(sc, b, step, j, value);
    }
  }
};

const gruCell: CellStep = (sc, rec, h, _c, step) => {
  for (let b = 0; b < sc.n; b++) {
    for (let j = 0; j < sc.u; j++) {
      const row = b * sc.t + step;
      const u = sc.u;
      const x = row * sc.g + j;
      const r0 = b * sc.g + j;
      const r = sigmoid(sc.xw[x]! + rec[r0]!);
      const z = sigmoid(sc.xw[x + u]! + rec[r0 + u]!);
      const hn = rec[r0 + 2 * u]!;
      const n = Math.tanh(sc.xw[x + 2 * u]! + r * hn);
      const value = (1 - z) * n + z * h[b * u + j]!;
      h[b * u + j] = value;
      const s = row * sc.s + j;
      sc.saved[s] = r;
      sc.saved[s + u] = z;
      sc.saved[s + 2 * u] = n;
      sc.saved[s + 3 * u] = hn;
      sc.saved[s + 4 * u] = value;
      emit(sc, b, step, j, value);
    }
  }
};

/**
 * Shared BPTT driver. For each step (last to first) `cell` turns the incoming dh (and its own carried
 * state) into the pre-activation gradients: `dxw` for the input projection and `dhw` for the
 * recurrent product (they differ only for the GRU's candidate). Then dw_hh += dhwᵀ·h_{t−1} and
 * dh_{t−1} = dhw·w_hh (+ any direct path the cell left in `direct`).
 */
type BackCell = (sc: Scan, dyd: Float32Array, dhNext: Float32Array, step: number, dxw: Float32Array, dhw: Float32Array, carry: Float32Array, direct: Float32Array) => void;

/** The gradient reaching h at (b, step, j): from the next step, and from the output when it is one. */
function incoming(sc: Scan, dyd: Float32Array, dhNext: Float32Array, b: number, step: number, j: number): number {
  const u = sc.u;
  const fromOutput = sc.sequences ? dyd[(b * sc.t + step) * u + j]! : step === sc.t - 1 ? dyd[b * u + j]! : 0;
  return dhNext[b * u + j]! + fromOutput;
}

/** Backpropagation through time; `masked`: the fourth input is the forward scan's mask [N, T]. */
function backward(layout: RecurrentCell, cell: BackCell, masked: boolean): CpuKernel {
  const { gates, saved: stored, hOffset } = layout;
  return (_ctx, [dy, w, saved, maskIn], [dxwOut, dwOut, dbOut], attrs) => {
    const u = attrs.units as number;
    const sc = scanOf({ shape: dxwOut!.shape, data: dxwOut!.data }, w!, saved!, dy!, attrs, gates, stored);
    const mask = masked ? maskIn!.data : null;
    const dyd = f32(dy!);
    const dxw = f32(dxwOut!);
    const dw = f32(dwOut!);
    dw.fill(0);
    const dhNext = zeroed('dhNext', sc.n * u);
    const carry = zeroed('carry', sc.n * u);
    const direct = zeroed('direct', sc.n * u);
    const dhw = zeroed('dhw', sc.n * sc.g);
    const dwStep = zeroed('dwStep', sc.g * u);
    const keptCarry = mask ? zeroed('keptCarry', sc.n * u) : null;
    // The recurrent bias meets every step, the first included (h_{−1} = 0 only zeroes dw_hh's term).
    const db = dbOut ? f32(dbOut) : null;
    db?.fill(0);
    for (let step = sc.t - 1; step >= 0; step--) {
      direct.fill(0);
      keptCarry?.set(carry);
      cell(sc, dyd, dhNext, step, dxw, dhw, carry, direct);
      if (mask) maskedBackwardStep(sc, mask, step, dyd, dhNext, dxw, dhw, carry, keptCarry!, direct);
      if (db) for (let b = 0; b < sc.n; b++) for (let k = 0; k < sc.g; k++) db[k]! += dhw[b * sc.g + k]!;
      if (step > 0) {
        // dw_hh[G, u] += dhwᵀ[G, N] · h_{t−1}[N, u]; h_{t−1} sits in `saved` with row stride T·S.
        gemm(dhw, 1, sc.g, sc.saved.subarray((step - 1) * sc.s + hOffset * u), sc.t * sc.s, 1, dwStep, sc.g, u, sc.n);
        for (let i = 0; i < dw.length; i++) dw[i]! += dwStep[i]!;
      }
      gemm(dhw, sc.g, 1, sc.w, u, 1, dhNext, sc.n, u, sc.g);
      for (let i = 0; i < dhNext.length; i++) dhNext[i]! += direct[i]!;
    }
  };
}

const rnnBack: BackCell = (sc, dyd, dhNext, step, dxw, dhw) => {
  for (let b = 0; b < sc.n; b++) {
    for (let j = 0; j < sc.u; j++) {
      const dh = incoming(sc, dyd, dhNext, b, step, j);
      const h = sc.saved[(b * sc.t + step) * sc.s + j]!;
      const da = dh * (1 - h * h);
      dxw[(b * sc.t + step) * sc.g + j] = da;
      dhw[b * sc.g + j] = da;
    }
  }
};

const lstmBack: BackCell = (sc, dyd, dhNext, step, dxw, dhw, carry) => {
  for (let b = 0; b < sc.n; b++) {
    for (let j = 0; j < sc.u; j++) {
      const dh = incoming(sc, dyd, dhNext, b, step, j);
      const u = sc.u;
      const s = (b * sc.t + step) * sc.s + j;
      const i = sc.saved[s]!, f = sc.saved[s + u]!, g = sc.saved[s + 2 * u]!, o = sc.saved[s + 3 * u]!, c = sc.saved[s + 4 * u]!;
      const cPrev = step > 0 ? sc.saved[s - sc.s + 4 * u]! : 0;
      if (step === sc.t - 1) carry[b * u + j] = 0;
      const tc = Math.tanh(c);
      const dc = carry[b * u + j]! + dh * o * (1 - tc * tc);
      carry[b * u + j] = dc * f;
      const x = (b * sc.t + step) * sc.g + j;
      // The gates' pre-activation gradients, i f g o (no array: this runs per unit per step).
      const di = dc * g * i * (1 - i);
      const df = dc * cPrev * f * (1 - f);
      const dg = dc * i * (1 - g * g);
      const dO = dh * tc * o * (1 - o);
      const r = b * sc.g + j;
      dxw[x] = dhw[r] = di;
      dxw[x + u] = dhw[r + u] = df;
      dxw[x + 2 * u] = dhw[r + 2 * u] = dg;
      dxw[x + 3 * u] = dhw[r + 3 * u] = dO;
    }
  }
};

const gruBack: BackCell = (sc, dyd, dhNext, step, dxw, dhw, _carry, direct) => {
  for (let b = 0; b < sc.n; b++) {
    for (let j = 0; j < sc.u; j++) {
      const dh = incoming(sc, dyd, dhNext, b, step, j);
      const u = sc.u;
      const s = (b * sc.t + step) * sc.s + j;
      const r = sc.saved[s]!, z = sc.saved[s + u]!, n = sc.saved[s + 2 * u]!, hn = sc.saved[s + 3 * u]!;
      const hPrev = step > 0 ? sc.saved[s - sc.s + 4 * u]! : 0;
      const dan = dh * (1 - z) * (1 - n * n);
      const dar = dan * hn * r * (1 - r);
      const daz = dh * (hPrev - n) * z * (1 - z);
      const x = (b * sc.t + step) * sc.g + j;
      dxw[x] = dar;
      dxw[x + u] = daz;
      dxw[x + 2 * u] = dan;
      const o = b * sc.g + j;
      dhw[o] = dar;
      dhw[o + u] = daz;
      dhw[o + 2 * u] = dan * r;
      direct[b * u + j] = dh * z;
    }
  }
};

/** Each cell's step and its backward step; the layouts (gates, saved values, h) are the plan's, runtime/plan/kernels.ts. */
const CELLS: Record<RecurrentCellName, { step: CellStep; back: BackCell }> = {
  rnn: { step: rnnCell, back: rnnBack },
  lstm: { step: lstmCell, back: lstmBack },
  gru: { step: gruCell, back: gruBack },
  gru_reset_after: { step: gruCell, back: gruBack },
};

const layoutOf = (cell: RecurrentCellName): RecurrentCell => RECURRENT_CELLS[cell];

export const recurrentKernels = {
  ...perScan((cell) => forward(layoutOf(cell), CELLS[cell].step, false)),
  ...perScanGrad((cell) => backward(layoutOf(cell), CELLS[cell].back, false)),
  ...perMaskedScan((cell) => forward(layoutOf(cell), CELLS[cell].step, true)),
  ...perMaskedScanGrad((cell) => backward(layoutOf(cell), CELLS[cell].back, true)),
} satisfies CpuKernelMap;
