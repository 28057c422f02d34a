import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * upsample2d and its gradient over channels-last [N, H, W, C]. Each output cell reads at most two
 * source rows and two source columns with weights (`taps`); the forward pass gathers through them and
 * the gradient scatters dy back through the same taps, so both agree by construction.
 * Bilinear uses half-pixel centres: source (o + ½)/s − ½, clamped to [0, n − 1] (Keras, PyTorch with
 * align_corners=False, ONNX Resize half_pixel).
 */
export interface Tap {
  lo: number;
  hi: number;
  /** Weight of `hi`; `lo` gets 1 − frac. */
  frac: number;
}

function taps(inSize: number, scale: number, mode: string): Tap[] {
  const out: Tap[] = [];
  for (let o = 0; o < inSize * scale; o++) {
    if (mode !== 'bilinear') {
      const i = Math.floor(o / scale);
      out.push({ lo: i, hi: i, frac: 0 });
      continue;
    }
    const src = Math.min(Math.max((o + 0.5) / scale - 0.5, 0), inSize - 1);
    const lo = Math.floor(src);
    out.push({ lo, hi: Math.min(lo + 1, inSize - 1), frac: src - lo });
  }
  return out;
}

/** x's sizes and, per output row and column, its source taps (shared with ../wasm/upsample-simd.ts). */
export function upsampleGeometry(x: number[], attrs: Readonly<Record<string, unknown>>) {
  const [n, h, w, c] = x as [number, number, number, number];
  const size = attrs.size as number[];
  const mode = attrs.mode as string;
  return { n, h, w, c, rows: taps(h, size[0]!, mode), cols: taps(w, size[1]!, mode) };
}

const upsample: CpuKernel = (_ctx, [x], [y], attrs) => {
  const g = upsampleGeometry(x!.shape, attrs);
  const src = f32(x!);
  const dst = f32(y!);
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (const r of g.rows) {
      for (const q of g.cols) {
        const at = (row: number, col: number): number => ((b * g.h + row) * g.w + col) * g.c;
        const [a00, a01, a10, a11] = [at(r.lo, q.lo), at(r.lo, q.hi), at(r.hi, q.lo), at(r.hi, q.hi)];
        const [w00, w01, w10, w11] = [(1 - r.frac) * (1 - q.frac), (1 - r.frac) * q.frac, r.frac * (1 - q.frac), r.frac * q.frac];
        for (let ch = 0; ch < g.c; ch++, o++) dst[o] = w00 * src[a00 + ch]! + w01 * src[a01 + ch]! + w10 * src[a10 + ch]! + w11 * src[a11 + ch]!;
      }
    }
  }
};

const upsampleGrad: CpuKernel = (_ctx, [dy], [dx], attrs) => {
  const g = upsampleGeometry(dx!.shape, attrs);
  const grad = f32(dy!);
  const out = f32(dx!);
  out.fill(0);
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (const r of g.rows) {
      for (const q of g.cols) {
        const at = (row: number, col: number): number => ((b * g.h + row) * g.w + col) * g.c;
        const [a00, a01, a10, a11] = [at(r.lo, q.lo), at(r.lo, q.hi), at(r.hi, q.lo), at(r.hi, q.hi)];
        const [w00, w01, w10, w11] = [(1 - r.frac) * (1 - q.frac), (1 - r.frac) * q.frac, r.frac * (1 - q.frac), r.frac * q.frac];
        for (let ch = 0; ch < g.c; ch++, o++) {
          const d = grad[o]!;
          out[a00 + ch]! += w00 * d;
          out[a01 + ch]! += w01 * d;
          out[a10 + ch]! += w10 * d;
          out[a11 + ch]! += w11 * d;
        }
      }
    }
  }
};

export const upsampleKernels = { upsample2d: upsample, upsample2d_grad: upsampleGrad } satisfies CpuKernelMap;
