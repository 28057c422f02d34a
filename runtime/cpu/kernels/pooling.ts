import type { Attrs, CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * Windowed pooling over [N, H, W, C] (padding cells are skipped: max ignores them, avg does not count
 * them), and global pooling over every axis between the first and the last.
 */
interface Window {
  n: number; h: number; w: number; c: number; oh: number; ow: number;
  kh: number; kw: number; sh: number; sw: number; top: number; left: number;
}

function window(xShape: number[], yShape: number[], attrs: Attrs): Window {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const [, oh, ow] = yShape as [number, number, number, number];
  const size = attrs.size as number[];
  const strides = (attrs.strides as number[] | undefined) ?? size;
  const same = attrs.padding === 'same';
  const pad = (inSize: number, out: number, k: number, s: number): number => (same ? Math.floor(Math.max((out - 1) * s + k - inSize, 0) / 2) : 0);
  return { n, h, w, c, oh, ow, kh: size[0]!, kw: size[1]!, sh: strides[0]!, sw: strides[1]!, top: pad(h, oh, size[0]!, strides[0]!), left: pad(w, ow, size[1]!, strides[1]!) };
}

/** Calls visit(outIndex, inIndex) for every valid cell of every window, channel by channel. */
function forEachWindow(g: Window, start: (o: number) => void, visit: (o: number, i: number) => void, end: (o: number, count: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ch = 0; ch < g.c; ch++) {
          const o = ((b * g.oh + oy) * g.ow + ox) * g.c + ch;
          start(o);
          let count = 0;
          for (let ky = 0; ky < g.kh; ky++) {
            const iy = oy * g.sh + ky - g.top;
            if (iy < 0 || iy >= g.h) continue;
            for (let kx = 0; kx < g.kw; kx++) {
              const ix = ox * g.sw + kx - g.left;
              if (ix < 0 || ix >= g.w) continue;
              visit(o, ((b * g.h + iy) * g.w + ix) * g.c + ch);
              count++;
            }
          }
          end(o, count);
        }
      }
    }
  }
}

const maxpool: CpuKernel = (_ctx, [x], [y], attrs) => {
  const xd = f32(x!);
  const out = f32(y!);
  forEachWindow(window(x!.shape, y!.shape, attrs), (o) => (out[o] = -Infinity), (o, i) => { if (xd[i]! > out[o]!) out[o] = xd[i]!; }, () => {});
};

const avgpool: CpuKernel = (_ctx, [x], [y], attrs) => {
  const xd = f32(x!);
  const out = f32(y!);
  forEachWindow(window(x!.shape, y!.shape, attrs), (o) => (out[o] = 0), (o, i) => (out[o]! += xd[i]!), (o, count) => (out[o]! /= Math.max(count, 1)));
};

const maxpoolGrad: CpuKernel = (_ctx, [dy, x], [dx], attrs) => {
  const xd = f32(x!);
  const g = f32(dy!);
  const out = f32(dx!);
  out.fill(0);
  let best = -1;
  forEachWindow(window(x!.shape, dy!.shape, attrs), () => (best = -1), (_o, i) => { if (best < 0 || xd[i]! > xd[best]!) best = i; }, (o) => { if (best >= 0) out[best]! += g[o]!; });
};

const avgpoolGrad: CpuKernel = (_ctx, [dy], [dx], attrs) => {
  const g = f32(dy!);
  const out = f32(dx!);
  out.fill(0);
  const cells: number[] = [];
  forEachWindow(window(dx!.shape, dy!.shape, attrs), () => (cells.length = 0), (_o, i) => cells.push(i), (o, count) => { for (const i of cells) out[i]! += g[o]! / count; });
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
