import { isMaskedScan, recurrentCellNameOf, recurrentCellOf, type RecurrentCell, type RecurrentCellName } from '../../../../runtime/plan/kernels.js';
import { WebGpuEmitError, type KernelSource, type StepShapes } from '../program.js';
import { input, output } from './grid.js';

/**
 * The recurrences (rnn_scan, lstm_scan, gru_scan, gru_reset_after_scan) and their backpropagation through time, with the
 * layouts of runtime/plan/kernels.ts and the CPU kernels: xw [N, T, G·u] (input projection, bias
 * included), w_hh [G·u, u], saved [N, T, S·u] (gate values and states per step), y [N, T, u] or [N, u].
 *
 * Forward: one workgroup per batch row, one thread per unit; h_{t−1} lives in workgroup memory and
 * two barriers per step separate reading it from writing h_t. Backward: ONE workgroup (the weight
 * gradient sums over every row and WGSL has no float atomics): phase 1 runs BPTT row by row, threads
 * over units, writing dxw; phase 2 has each thread own elements of dw_hh and sum dhw·h_{t−1} over
 * rows and steps, with dhw recovered from dxw (the GRU candidate's recurrent part is dxw·r).
 *
 * The masked scans (`<cell>_masked_scan`, a mask [N, T] as the last input) do what the CPU's
 * runtime/cpu/kernels/masked-steps.ts does: at a step whose mask is 0 the thread keeps h (and c),
 * writes only those carried states to `saved` (gates 0) and y = 0 (the carried h as the last state);
 * backward, such a step writes dxw = 0 (so dhw = 0 and phase 2 adds nothing) and passes dh and dc on.
 */
const MAX_UNITS = 256;

/** The cell's name and layout (gates, saved values per unit, where h sits): runtime/plan/kernels.ts. */
function cellOf(base: string): { name: RecurrentCellName; cell: RecurrentCell } {
  return { name: recurrentCellNameOf(base), cell: recurrentCellOf(base) };
}

/** The mask buffer of a masked scan (its last input, i32 or f32) and the WGSL test of a padding step at `row`. */
function maskOf(step: StepShapes): { buffer: KernelSource['buffers'][number]; padding: string } | null {
  if (!isMaskedScan(step.base)) return null;
  const index = step.inputs.length - 1;
  const dtype = step.inputs[index]!.dtype === 'i32' ? 'i32' : 'f32';
  return { buffer: input(index, 'mask', dtype), padding: `mask[row] == ${dtype === 'i32' ? '0' : '0.0'}` };
}

/** Constants and helpers; `recurrentBias`: rec() adds the bias buffer `bhh` (the forward scan of such a cell). */
function header(step: StepShapes, cell: RecurrentCell, recurrentBias = false): string {
  const u = Number(step.attrs.units);
  if (!(u >= 1 && u <= MAX_UNITS)) throw new WebGpuEmitError(`WebGPU recurrences support up to ${MAX_UNITS} units, got ${u}`);
  return `const U = ${u}u;
const G = ${cell.gates * u}u;
const S = ${cell.saved * u}u;
const SEQUENCES = ${step.attrs.return_sequences === true};
fn sigm(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn tanh_s(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
/** (w_hh · h)[g] for one gate row g, h in workgroup memory${recurrentBias ? ', plus the recurrent bias' : ''}. */
fn rec(g: u32) -> f32 {
  var acc = ${recurrentBias ? 'bhh[g]' : '0.0'};
  for (var k = 0u; k < U; k++) { acc = fma(w[g * U + k], hs[k], acc); }
  return acc;
}`;
}

/** The GRU step, the same for both GRU cells (gru_reset_after's rec() adds the recurrent bias). */
const GRU_STEP = `let r = sigm(xw[x] + rec(j));
let z = sigm(xw[x + U] + rec(j + U));
let hn = rec(j + 2u * U);
let n = tanh_s(xw[x + 2u * U] + r * hn);
let value = (1.0 - z) * n + z * hs[j];
saved[s] = r;
saved[s + U] = z;
saved[s + 2u * U] = n;
saved[s + 3u * U] = hn;
saved[s + 4u * U] = value;`;

const FORWARD_CELL: Record<RecurrentCellName, string> = {
  rnn: `let value = tanh_s(xw[x] + rec(j));
saved[s] = value;`,
  lstm: `let ig = sigm(xw[x] + rec(j));
let fg = sigm(xw[x + U] + rec(j + U));
let gg = tanh_s(xw[x + 2u * U] + rec(j + 2u * U));
let og = sigm(xw[x + 3u * U] + rec(j + 3u * U));
c = fg * c + ig * gg;
let value = og * tanh_s(c);
saved[s] = ig;
saved[s + U] = fg;
saved[s + 2u * U] = gg;
saved[s + 3u * U] = og;
saved[s + 4u * U] = c;
saved[s + 5u * U] = value;`,
  gru: GRU_STEP,
  gru_reset_after: GRU_STEP,
};

/** A masked forward step: the carried h (and c) into saved, y 0 (or the last state). */
function carriedForward(cell: RecurrentCell): string {
  const slots = Array.from({ length: cell.saved }, (_, k) => `saved[s + ${k}u * U] = 0.0;`).join(' ');
  return `${slots}
saved[s + ${cell.hOffset}u * U] = hs[j];${cell.cOffset !== undefined ? `
saved[s + ${cell.cOffset}u * U] = c;` : ''}
h_new = hs[j];
if (SEQUENCES) { y[row * U + j] = 0.0; } else if (t == T - 1u) { y[b * U + j] = hs[j]; }`;
}

export function emitScan(step: StepShapes): KernelSource {
  const { name, cell } = cellOf(step.base);
  const mask = maskOf(step);
  const xw = step.inputs[0]!.shape;
  const live = `${FORWARD_CELL[name]}
h_new = value;
if (SEQUENCES) { y[row * U + j] = value; } else if (t == T - 1u) { y[b * U + j] = value; }`;
  const stepBody = mask ? `if (${mask.padding}) {
  ${carriedForward(cell).split('\n').join('\n  ')}
} else {
  ${live.split('\n').join('\n  ')}
}` : live;
  const body = `${header(step, cell, cell.recurrentBias === true)}

var<workgroup> hs: array<f32, ${MAX_UNITS}>;

@compute @workgroup_size(${MAX_UNITS}, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let b = wg.x;
  let j = lid.x;
  let T = P.T;
  let live = j < U;
  hs[j] = 0.0;
  var c = 0.0;
  workgroupBarrier();
  for (var t = 0u; t < T; t++) {
    let row = b * T + t;
    let x = row * G + j;
    let s = row * S + j;
    var h_new = 0.0;
    if (live) {
      ${stepBody.split('\n').join('\n      ')}
    }
    workgroupBarrier();
    hs[j] = h_new;
    workgroupBarrier();
  }
}`;
  return {
    buffers: [input(0, 'xw'), input(1, 'w'), ...(cell.recurrentBias ? [input(2, 'bhh')] : []), ...(mask ? [mask.buffer] : []), output(0, 'y'), output(1, 'saved')],
    params: [{ name: 'rows', type: 'u32', value: xw[0]! }, { name: 'T', type: 'u32', value: xw[1]! }],
    body,
    workgroupSize: [MAX_UNITS, 1, 1],
    dispatch: [xw[0]!, 1, 1],
  };
}

const GRU_BACK_STEP = `let r = saved[s];
let z = saved[s + U];
let n = saved[s + 2u * U];
let hn = saved[s + 3u * U];
var h_prev = 0.0;
if (t > 0u) { h_prev = saved[s - S + 4u * U]; }
let dan = dh * (1.0 - z) * (1.0 - n * n);
let dar = dan * hn * r * (1.0 - r);
let daz = dh * (h_prev - n) * z * (1.0 - z);
dxw[x] = dar; dxw[x + U] = daz; dxw[x + 2u * U] = dan;
dhw[j] = dar; dhw[j + U] = daz; dhw[j + 2u * U] = dan * r;
direct = dh * z;`;

/** Per cell: from dh (incoming) compute dxw (written) and dhw (workgroup memory), as the CPU does. */
const BACKWARD_CELL: Record<RecurrentCellName, string> = {
  rnn: `let h = saved[s];
let da = dh * (1.0 - h * h);
dxw[x] = da;
dhw[j] = da;`,
  lstm: `let ig = saved[s];
let fg = saved[s + U];
let gg = saved[s + 2u * U];
let og = saved[s + 3u * U];
let c = saved[s + 4u * U];
var c_prev = 0.0;
if (t > 0u) { c_prev = saved[s - S + 4u * U]; }
let tc = tanh_s(c);
let dc = carry + dh * og * (1.0 - tc * tc);
carry = dc * fg;
let d0 = dc * gg * ig * (1.0 - ig);
let d1 = dc * c_prev * fg * (1.0 - fg);
let d2 = dc * ig * (1.0 - gg * gg);
let d3 = dh * tc * og * (1.0 - og);
dxw[x] = d0; dxw[x + U] = d1; dxw[x + 2u * U] = d2; dxw[x + 3u * U] = d3;
dhw[j] = d0; dhw[j + U] = d1; dhw[j + 2u * U] = d2; dhw[j + 3u * U] = d3;`,
  gru: GRU_BACK_STEP,
  gru_reset_after: GRU_BACK_STEP,
};

/** A masked backward step: no gradient to the step's input (dxw and dhw 0), dh to the previous step, dc kept. */
function carriedBackward(cell: RecurrentCell): string {
  const gates = Array.from({ length: cell.gates }, (_, k) => k);
  return `${gates.map((k) => `dxw[x + ${k}u * U] = 0.0;`).join(' ')}
${gates.map((k) => `dhw[j + ${k}u * U] = 0.0;`).join(' ')}
direct = dh;`;
}

export function emitScanGrad(step: StepShapes): KernelSource {
  const { name, cell } = cellOf(step.base);
  const mask = maskOf(step);
  const xw = step.outputs[0]!.shape;
  const candidate = (indent: string) => (name === 'gru' || name === 'gru_reset_after' ? `\n${indent}if (g >= 2u * U) { d = d * saved[row * S + (g - 2u * U)]; }` : '');
  // A recurrent bias meets every step, the first included: db_hh[g] = Σ over rows and steps of dhw.
  const biasGrad = cell.recurrentBias
    ? `
  for (var g = j; g < G; g += ${MAX_UNITS}u) {
    var acc = 0.0;
    for (var row = 0u; row < P.rows * T; row++) {
      var d = dxw[row * G + g];${candidate('      ')}
      acc += d;
    }
    db_hh[g] = acc;
  }`
    : '';
  const body = `${header(step, cell)}

var<workgroup> hs: array<f32, ${MAX_UNITS}>;
var<workgroup> dhw: array<f32, ${cell.gates * MAX_UNITS}>;

@compute @workgroup_size(${MAX_UNITS}, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let j = lid.x;
  let T = P.T;
  let live = j < U;
  // Phase 1: BPTT, one batch row after the other.
  for (var b = 0u; b < P.rows; b++) {
    var dh_next = 0.0;
    var carry = 0.0;
    for (var step = 0u; step < T; step++) {
      let t = T - 1u - step;
      let row = b * T + t;
      let x = row * G + j;
      let s = row * S + j;
      var direct = 0.0;
      if (live) {
        var from_output = 0.0;
        if (SEQUENCES) { from_output = dy[row * U + j]; } else if (t == T - 1u) { from_output = dy[b * U + j]; }
        ${(mask ? `if (${mask.padding}) {
  if (SEQUENCES) { from_output = 0.0; }
  let dh = dh_next + from_output;
  ${carriedBackward(cell).split('\n').join('\n  ')}
} else {
  let dh = dh_next + from_output;
  ${BACKWARD_CELL[name].split('\n').join('\n  ')}
}` : `let dh = dh_next + from_output;
${BACKWARD_CELL[name]}`).split('\n').join('\n        ')}
      }
      workgroupBarrier();
      if (live) {
        // dh_{t−1}[j] = Σ_g dhw[g] · w_hh[g, j] (+ the GRU's direct path)
        var acc = direct;
        for (var g = 0u; g < G; g++) { acc = fma(dhw[g], w[g * U + j], acc); }
        dh_next = acc;
      }
      workgroupBarrier();
    }
  }
  // Phase 2 reads the dxw that other threads wrote in phase 1.
  storageBarrier();
  workgroupBarrier();
  // Phase 2: dw_hh[g, k] = Σ over rows and steps t ≥ 1 of dhw[b, t, g] · h_{t−1}[b, k].
  for (var e = j; e < G * U; e += ${MAX_UNITS}u) {
    let g = e / U;
    let k = e % U;
    var acc = 0.0;
    for (var b = 0u; b < P.rows; b++) {
      for (var t = 1u; t < T; t++) {
        let row = b * T + t;
        var d = dxw[row * G + g];${candidate('        ')}
        acc = fma(d, saved[(row - 1u) * S + ${cell.hOffset}u * U + k], acc);
      }
    }
    dw_hh[e] = acc;
  }${biasGrad}
}`;
  return {
    buffers: [input(0, 'dy'), input(1, 'w'), input(2, 'saved'), ...(mask ? [mask.buffer] : []), output(0, 'dxw'), output(1, 'dw_hh'), ...(cell.recurrentBias ? [output(2, 'db_hh')] : [])],
    params: [{ name: 'rows', type: 'u32', value: xw[0]! }, { name: 'T', type: 'u32', value: xw[1]! }],
    body,
    workgroupSize: [MAX_UNITS, 1, 1],
    dispatch: [1, 1, 1],
  };
}
