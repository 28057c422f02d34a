import type { PlanDim } from '../../../../runtime/plan/format.js';
import { matmulSizes } from '../../../../runtime/plan/matmul-sizes.js';
import { isActivation } from '../../../../runtime/plan/activations.js';
import { activationFunctions } from '../activations.js';
import { ceilDiv, gridStrideDispatch, mulDims, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';

/**
 * y = op(a)·op(b) with a fused epilogue (bias over columns, then activations), applied in registers
 * before the one store. `a` is [rowsA, lastA] after flattening its leading axes, `b` is [rowsB, lastB];
 * transA/transB read them transposed, which is how the backward pass gets dx = dy·W and dW = dyᵀ·x
 * without materialising a transpose.
 *
 * Two variants, chosen by shape in `chooseMatmulVariant` (the one place):
 * - `tiled`: 64×64 output tiles per workgroup of 16×16 threads, each thread holding a 4×4 register
 *   block; 64×16 slices of op(a) and op(b) staged in workgroup memory (8 KiB);
 * - `direct`: one thread per output element looping over K, for outputs too small to fill one tile
 *   (the seed network, weight gradients of narrow layers).
 */

export type MatmulVariant = 'tiled' | 'direct';

export interface MatmulDims {
  m: PlanDim;
  n: PlanDim;
  k: PlanDim;
  lda: PlanDim;
  ldb: PlanDim;
  transA: boolean;
  transB: boolean;
}

export function stepMatmulDims(step: StepShapes): MatmulDims {
  const [a, b] = step.inputs;
  const transA = step.attrs.transA === true;
  const transB = step.attrs.transB === true;
  const { m, n, k, lda, ldb } = matmulSizes(a!.shape, b!.shape, transA, transB, product);
  return { m, n, k, lda, ldb, transA, transB };
}

const TILE = 64;

/**
 * The variant choice, by shape: tiles pay only when the output fills at least one 64×64 tile and is
 * at least half a tile wide (a narrow output, such as the 10 logits of a classifier, would leave most
 * of each tile idle). A symbolic M (the batch) counts as large.
 */
export function chooseMatmulVariant(d: MatmulDims): MatmulVariant {
  const outputs = mulDims(d.m, d.n);
  if (typeof outputs === 'number' && outputs < TILE * TILE) return 'direct';
  if (typeof d.n === 'number' && d.n < TILE / 2) return 'direct';
  return 'tiled';
}

/** The fused tail as WGSL statements over `v` at output (m, n); also used by the conv template. */
export function epilogueCode(step: StepShapes): { fns: string; apply: string; hasPre: boolean; hasBias: boolean } {
  const acts = step.epilogue.filter(isActivation);
  const hasBias = step.epilogue.includes('bias');
  const hasPre = step.outputs.length > 1;
  const lines: string[] = [];
  for (const element of step.epilogue) {
    if (element === 'bias') {
      lines.push('v = v + bias[n];');
    } else {
      if (hasPre && element === acts[acts.length - 1]) lines.push('pre[m * P.N + n] = v;');
      lines.push(`v = act_${element}(v);`);
    }
  }
  if (hasPre && acts.length === 0) lines.push('pre[m * P.N + n] = v;');
  const fns = acts.length > 0 ? activationFunctions(acts, step.attrs) : '';
  return { fns, apply: lines.join('\n  '), hasPre, hasBias };
}

export function emitMatmul(step: StepShapes): KernelSource {
  const d = stepMatmulDims(step);
  const variant = chooseMatmulVariant(d);
  const epi = epilogueCode(step);
  const buffers: KernelSource['buffers'] = [
    { from: 'input', index: 0, access: 'read', name: 'a', dtype: 'f32' },
    { from: 'input', index: 1, access: 'read', name: 'b', dtype: 'f32' },
  ];
  if (epi.hasBias) buffers.push({ from: 'input', index: 2, access: 'read', name: 'bias', dtype: 'f32' });
  buffers.push({ from: 'output', index: 0, access: 'read_write', name: 'y', dtype: 'f32' });
  if (epi.hasPre) buffers.push({ from: 'output', index: 1, access: 'read_write', name: 'pre', dtype: 'f32' });
  const params: KernelSource['params'] = [
    { name: 'M', type: 'u32', value: d.m },
    { name: 'N', type: 'u32', value: d.n },
    { name: 'K', type: 'u32', value: d.k },
    { name: 'lda', type: 'u32', value: d.lda },
    { name: 'ldb', type: 'u32', value: d.ldb },
  ];
  const aAt = d.transA ? 'a[k * P.lda + m]' : 'a[m * P.lda + k]';
  const bAt = d.transB ? 'b[n * P.ldb + k]' : 'b[k * P.ldb + n]';
  const accessors = `fn load_a(m: u32, k: u32) -> f32 { return ${aAt}; }\nfn load_b(k: u32, n: u32) -> f32 { return ${bAt}; }`;
  const store = `fn store(m: u32, n: u32, acc: f32) {\n  var v = acc;\n  ${epi.apply}\n  y[m * P.N + n] = v;\n}`;
  const body = variant === 'tiled' ? tiledBody() : directBody();
  return {
    buffers,
    params,
    body: [epi.fns, accessors, store, body].filter((s) => s).join('\n\n'),
    workgroupSize: variant === 'tiled' ? [16, 16, 1] : [64, 1, 1],
    dispatch: variant === 'tiled' ? [ceilDiv(d.n, TILE), ceilDiv(d.m, TILE), 1] : gridStrideDispatch(mulDims(d.m, d.n), 64),
    variant,
  };
}

function directBody(): string {
  return `
@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = P.M * P.N;
  for (var i = gid.x; i < total; i += groups.x * 64u) {
    let m = i / P.N;
    let n = i % P.N;
    var acc = 0.0;
    for (var k = 0u; k < P.K; k++) {
      acc = fma(load_a(m, k), load_b(k, n), acc);
    }
    store(m, n, acc);
  }
}`;
}

function tiledBody(): string {
  // Thread (tx, ty) owns rows ty + 16·i and columns tx + 16·j of the tile (i, j < 4): neighbouring
  // threads read neighbouring workgroup-memory words and store neighbouring output words.
  return `
const TK = 16u;
var<workgroup> tileA: array<array<f32, 64>, 16>;
var<workgroup> tileB: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < P.K; k0 += TK) {
    for (var e = tid; e < 1024u; e += 256u) {
      let mm = e / TK;
      let kk = e % TK;
      let m = row0 + mm;
      let k = k0 + kk;
      var va = 0.0;
      if (m < P.M && k < P.K) { va = load_a(m, k); }
      tileA[kk][mm] = va;
      let nn = e % 64u;
      let kb = e / 64u;
      let n = col0 + nn;
      let k2 = k0 + kb;
      var vb = 0.0;
      if (n < P.N && k2 < P.K) { vb = load_b(k2, n); }
      tileB[kb][nn] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var ra: array<f32, 4>;
      var rb: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        ra[i] = tileA[kk][lid.y + 16u * i];
        rb[i] = tileB[kk][lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = fma(ra[i], rb[j], acc[i][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + lid.y + 16u * i;
    if (m >= P.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = col0 + lid.x + 16u * j;
      if (n < P.N) { store(m, n, acc[i][j]); }
    }
  }
}`;
}
