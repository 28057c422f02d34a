import type { Attrs, CpuKernel, EpilogueKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import type { EpilogueKernelName } from '../../plan/kernels.js';
import { gemm, gemmWithEpilogue } from './matmul.js';
import { poolingKernels } from './pooling.js';
import { convThenPool, jsIntermediate } from './pooled-conv.js';

/**
 * Convolutions, channels-last, by im2col + SGEMM: the patches of x form a [N·OH·OW, kh·kw·C] matrix P,
 * so y = P·wᵀ with w viewed as [F, kh·kw·C], already in y's [N, OH, OW, F] layout. Gradients reuse
 * the same P: dw = dyᵀ·P, and dx scatters dy·w back through the patches (col2im).
 * conv1d runs as conv2d on [N, L, 1, C]. 'same' padding follows TensorFlow (extra pad after).
 * These are the reference kernels; with WASM SIMD, ../wasm/conv-simd.ts replaces them (no P at all).
 */
export interface Geometry {
  n: number; h: number; w: number; c: number;
  f: number; kh: number; kw: number;
  oh: number; ow: number;
  sh: number; sw: number; dh: number; dw: number;
  padTop: number; padLeft: number;
}

function outSize(size: number, k: number, stride: number, dilation: number, padding: string): number {
  const span = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - span) / stride) + 1;
}

function padBefore(size: number, out: number, k: number, stride: number, dilation: number, padding: string): number {
  if (padding !== 'same') return 0;
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0);
  return Math.floor(total / 2);
}

/**
 * Geometry from x's shape ([N,H,W,C] or [N,L,C]) and w's ([F,kh,kw,C] or [F,k,C]): the same object
 * for the same attrs while the shapes stay the same (every training step), so that kernels may key
 * what they derive from it on it and a steady-state call allocates nothing. Never modify it.
 */
export function geometry(xShape: number[], wShape: number[], attrs: Attrs): Geometry {
  const kept = geometries.get(attrs);
  if (kept && sameNumbers(kept.x, xShape) && sameNumbers(kept.w, wShape)) return kept.g;
  const g = computeGeometry(xShape, wShape, attrs);
  geometries.set(attrs, { x: [...xShape], w: [...wShape], g });
  return g;
}

const geometries = new WeakMap<Attrs, { x: number[]; w: number[]; g: Geometry }>();

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function computeGeometry(xShape: number[], wShape: number[], attrs: Attrs): Geometry {
  const oneD = xShape.length === 3;
  const [n, h, w, c] = oneD ? [xShape[0]!, xShape[1]!, 1, xShape[2]!] : (xShape as [number, number, number, number]);
  const [f, kh, kw] = oneD ? [wShape[0]!, wShape[1]!, 1] : [wShape[0]!, wShape[1]!, wShape[2]!];
  const strides = (attrs.strides as number[] | undefined) ?? [1, 1];
  const dilation = (attrs.dilation as number[] | undefined) ?? [1, 1];
  const padding = (attrs.padding as string | undefined) ?? 'valid';
  const [sh, sw] = [strides[0] ?? 1, oneD ? 1 : (strides[1] ?? 1)];
  const [dh, dw] = [dilation[0] ?? 1, oneD ? 1 : (dilation[1] ?? 1)];
  const oh = outSize(h, kh, sh, dh, padding);
  const ow = outSize(w, kw, sw, dw, padding);
  return { n, h, w, c, f, kh, kw, oh, ow, sh, sw, dh, dw, padTop: padBefore(h, oh, kh, sh, dh, padding), padLeft: padBefore(w, ow, kw, sw, dw, padding) };
}

let patches: Float32Array = new Float32Array(0);
let patchGrads: Float32Array = new Float32Array(0);

function im2col(x: Float32Array, g: Geometry): Float32Array {
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  if (patches.length < rows * k) patches = new Float32Array(rows * k);
  const p = patches;
  let row = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++, row++) {
        let o = row * k;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * g.dh - g.padTop;
          for (let kx = 0; kx < g.kw; kx++, o += g.c) {
            const ix = ox * g.sw + kx * g.dw - g.padLeft;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
              p.fill(0, o, o + g.c);
              continue;
            }
            // An element loop, not set(subarray): a subarray per patch was an allocation per pixel.
            const from = ((b * g.h + iy) * g.w + ix) * g.c;
            for (let ch = 0; ch < g.c; ch++) p[o + ch] = x[from + ch]!;
          }
        }
      }
    }
  }
  return p;
}

function col2im(dp: Float32Array, dx: Float32Array, g: Geometry): void {
  const k = g.kh * g.kw * g.c;
  dx.fill(0);
  let row = 0;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++, row++) {
        let o = row * k;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * g.sh + ky * g.dh - g.padTop;
          for (let kx = 0; kx < g.kw; kx++, o += g.c) {
            const ix = ox * g.sw + kx * g.dw - g.padLeft;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
            const base = ((b * g.h + iy) * g.w + ix) * g.c;
            for (let ch = 0; ch < g.c; ch++) dx[base + ch]! += dp[o + ch]!;
          }
        }
      }
    }
  }
}

export const conv: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  const [x, w] = inputs;
  const g = geometry(x!.shape, w!.shape, attrs);
  if (epilogue.pool) return convThenPool(conv, poolingKernels.maxpool2d, jsIntermediate, ctx, inputs, outputs, attrs, epilogue, unpooledShape(g));
  const y = outputs[0];
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  const p = im2col(f32(x!), g);
  // y[rows, F] = P[rows, K] · wᵀ, w stored [F, K].
  gemmWithEpilogue(p, k, 1, f32(w!), 1, k, f32(y!), rows, g.f, k, epilogue, attrs);
};

/** [N, OH, OW, F]: a pooled convolution's output before its pooling, kept per geometry (none made per call). */
export function unpooledShape(g: Geometry): readonly number[] {
  let shape = unpooledShapes.get(g);
  if (!shape) unpooledShapes.set(g, (shape = [g.n, g.oh, g.ow, g.f]));
  return shape;
}

const unpooledShapes = new WeakMap<Geometry, readonly number[]>();

const convGradInput: CpuKernel = (_ctx, [dy, w], [dx], attrs) => {
  const g = geometry(dx!.shape, w!.shape, attrs);
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  if (patchGrads.length < rows * k) patchGrads = new Float32Array(rows * k);
  // dP[rows, K] = dy[rows, F] · w[F, K]
  gemm(f32(dy!), g.f, 1, f32(w!), k, 1, patchGrads, rows, k, g.f);
  col2im(patchGrads, f32(dx!), g);
};

const convGradWeight: CpuKernel = (_ctx, [dy, x], [dw], attrs) => {
  const g = geometry(x!.shape, dw!.shape, attrs);
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  const p = im2col(f32(x!), g);
  // dw[F, K] = dyᵀ[F, rows] · P[rows, K]; dy stored [rows, F].
  gemm(f32(dy!), 1, g.f, p, k, 1, f32(dw!), g.f, k, rows);
};

export const convEpilogueKernels = { conv2d: conv, conv1d: conv } satisfies Partial<Record<EpilogueKernelName, EpilogueKernel>>;

/** A transposed convolution is the input gradient run forward: x plays dy, y plays dx (kernels.ts). */
export const convKernels = {
  conv2d_transpose: convGradInput,
  conv1d_transpose: convGradInput,
  conv2d_grad_input: convGradInput,
  conv2d_grad_weight: convGradWeight,
  conv1d_grad_input: convGradInput,
  conv1d_grad_weight: convGradWeight,
} satisfies CpuKernelMap;

