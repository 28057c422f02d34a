import type { Attrs, CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * Windowed pooling over [N, H, W, C] (padding cells are skipped: max ignores them, avg does not count
 * them), and global pooling over every axis between the first and the last.
 */
export interface Window {
  n: number; h: number; w: number; c: number; oh: number; ow: number;
  kh: number; kw: number; sh: number; sw: number; top: number; left: number;
}

export function window(xShape: number[], yShape: number[], attrs: Attrs): Window {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const [, oh, ow] = yShape as [number, number, number, number];
  const size = attrs.size as number[];
  const strides = (attrs.strides as number[] | undefined) ?? size;
  const same = attrs.padding === 'same';
  const pad = (inSize: number, out: number, k: number, s: number): number => (same ? Math.floor(Math.max((out - 1) * s + k - inSize, 0) / 2) : 0);
  return { n, h, w, c, oh, ow, kh: size[0]!, kw: size[1]!, sh: strides[0]!, sw: strides[1]!, top: pad(h, oh, size[0]!, strides[0]!), left: pad(w, ow, size[1]!, strides[1]!) };
}

/**
 * The windows of output row `oy`, column `ox`: the valid input rows [y0, y1) and columns [x0, x1)
 * (padding cells skipped). Written into `range` to allocate nothing per window.
 */
const range = { y0: 0, y1: 0, x0: 0, x1: 0 };
function windowAt(g: Window, oy: number, ox: number): typeof range {
  const iy = oy * g.sh - g.top;
  const ix = ox * g.sw - g.left;
  range.y0 = Math.max(iy, 0);
  range.y1 = Math.min(iy + g.kh, g.h);
  range.x0 = Math.max(ix, 0);
  range.x1 = Math.min(ix + g.kw, g.w);
  return range;
}

/*
 * The loops run window cell by window cell with the channels innermost (contiguous in [N, H, W, C]),
 * visiting each channel's cells in the same row-major order as a per-channel loop would: results
 * are the same to the bit (max keeps the first maximum; avg sums in the same order).
 */
const maxpool: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const xd = f32(x);
  const out = f32(y);
  const g = window(x.shape, y.shape, attrs);
  const c = g.c;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const o = ((b * g.oh + oy) * g.ow + ox) * c;
        out.fill(-Infinity, o, o + c);
        const { y0, y1, x0, x1 } = windowAt(g, oy, ox);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const i = ((b * g.h + iy) * g.w + ix) * c;
            for (let ch = 0; ch < c; ch++) if (xd[i + ch]! > out[o + ch]!) out[o + ch] = xd[i + ch]!;
          }
        }
      }
    }
  }
};

const avgpool: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const xd = f32(x);
  const out = f32(y);
  const g = window(x.shape, y.shape, attrs);
  const c = g.c;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const o = ((b * g.oh + oy) * g.ow + ox) * c;
        out.fill(0, o, o + c);
        const { y0, y1, x0, x1 } = windowAt(g, oy, ox);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const i = ((b * g.h + iy) * g.w + ix) * c;
            for (let ch = 0; ch < c; ch++) out[o + ch]! += xd[i + ch]!;
          }
        }
        const count = Math.max((y1 - y0) * (x1 - x0), 1);
        for (let ch = 0; ch < c; ch++) out[o + ch]! /= count;
      }
    }
  }
};

/** Per-channel argmax scratch of maxpool2d_grad, grown as needed (kernels run one at a time). */
let best = new Int32Array(64);

const maxpoolGrad: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const x = inputs[1]!;
  const xd = f32(x);
  const gd = f32(dy);
  const out = f32(outputs[0]!);
  out.fill(0);
  const g = window(x.shape, dy.shape, attrs);
  const c = g.c;
  if (best.length < c) best = new Int32Array(c);
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const o = ((b * g.oh + oy) * g.ow + ox) * c;
        best.fill(-1, 0, c);
        const { y0, y1, x0, x1 } = windowAt(g, oy, ox);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const i = ((b * g.h + iy) * g.w + ix) * c;
            for (let ch = 0; ch < c; ch++) {
              const k = best[ch]!;
              if (k < 0 || xd[i + ch]! > xd[k]!) best[ch] = i + ch;
            }
          }
        }
        for (let ch = 0; ch < c; ch++) if (best[ch]! >= 0) out[best[ch]!]! += gd[o + ch]!;
      }
    }
  }
};

const avgpoolGrad: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const dx = outputs[0]!;
  const gd = f32(dy);
  const out = f32(dx);
  out.fill(0);
  const g = window(dx.shape, dy.shape, attrs);
  const c = g.c;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const o = ((b * g.oh + oy) * g.ow + ox) * c;
        const { y0, y1, x0, x1 } = windowAt(g, oy, ox);
        const count = (y1 - y0) * (x1 - x0);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const i = ((b * g.h + iy) * g.w + ix) * c;
            for (let ch = 0; ch < c; ch++) out[i + ch]! += gd[o + ch]! / count;
          }
        }
      }
    }
  }
};

function globalPool(reduce: 'avg' | 'max'): CpuKernel {
  return (_ctx, [x], [y]) => {
    const xd = f32(x!);
    const out = f32(y!);
    const n = x!.shape[0]!;
    const c = x!.shape[x!.shape.length - 1]!;
    const cells = xd.length / (n * c);
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = reduce === 'max' ? -Infinity : 0;
        for (let s = 0; s < cells; s++) {
          const v = xd[(b * cells + s) * c + ch]!;
          acc = reduce === 'max' ? Math.max(acc, v) : acc + v;
        }
        out[b * c + ch] = reduce === 'max' ? acc : acc / cells;
      }
    }
  };
}

const globalAvgGrad: CpuKernel = (_ctx, [dy], [dx]) => {
  const g = f32(dy!);
  const out = f32(dx!);
  const n = dx!.shape[0]!;
  const c = dx!.shape[dx!.shape.length - 1]!;
  const cells = out.length / (n * c);
  for (let b = 0; b < n; b++) for (let s = 0; s < cells; s++) for (let ch = 0; ch < c; ch++) out[(b * cells + s) * c + ch] = g[b * c + ch]! / cells;
};

const globalMaxGrad: CpuKernel = (_ctx, [dy, x], [dx]) => {
  const g = f32(dy!);
  const xd = f32(x!);
  const out = f32(dx!);
  out.fill(0);
  const n = x!.shape[0]!;
  const c = x!.shape[x!.shape.length - 1]!;
  const cells = xd.length / (n * c);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let best = (b * cells) * c + ch;
      for (let s = 1; s < cells; s++) {
        const i = (b * cells + s) * c + ch;
        if (xd[i]! > xd[best]!) best = i;
      }
      out[best]! += g[b * c + ch]!;
    }
  }
};

export const poolingKernels = {
  maxpool2d: maxpool,
  avgpool2d: avgpool,
  maxpool2d_grad: maxpoolGrad,
  avgpool2d_grad: avgpoolGrad,
  global_avg_pool: globalPool('avg'),
  global_max_pool: globalPool('max'),
  global_avg_pool_grad: globalAvgGrad,
  global_max_pool_grad: globalMaxGrad,
} satisfies CpuKernelMap;
