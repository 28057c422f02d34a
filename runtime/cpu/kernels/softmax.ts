import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/** Softmax and log-softmax over the last axis (max-subtracted), and their gradients. */
export function softmaxRows(x: Float32Array, y: Float32Array, cols: number, log: boolean): void {
  for (let o = 0; o < x.length; o += cols) {
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[o + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(x[o + j]! - max);
    if (log) {
      const logSum = Math.log(sum) + max;
      for (let j = 0; j < cols; j++) y[o + j] = x[o + j]! - logSum;
    } else {
      for (let j = 0; j < cols; j++) y[o + j] = Math.exp(x[o + j]! - max) / sum;
    }
  }
}

const lastDim = (shape: number[]): number => shape[shape.length - 1] ?? 1;

export const softmaxKernels = {
  // Indexing, not destructuring: no iterator per call (steady-state training allocates nothing).
  softmax: (_ctx, inputs, outputs) => softmaxRows(f32(inputs[0]!), f32(outputs[0]!), lastDim(inputs[0]!.shape), false),
  log_softmax: (_ctx, inputs, outputs) => softmaxRows(f32(inputs[0]!), f32(outputs[0]!), lastDim(inputs[0]!.shape), true),
  softmax_grad: (_ctx, inputs, outputs) => {
    const g = f32(inputs[0]!);
    const s = f32(inputs[1]!);
    const out = f32(outputs[0]!);
    const cols = lastDim(inputs[1]!.shape);
    for (let o = 0; o < s.length; o += cols) {
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += g[o + j]! * s[o + j]!;
      for (let j = 0; j < cols; j++) out[o + j] = s[o + j]! * (g[o + j]! - dot);
    }
  },
  log_softmax_grad: (_ctx, [dy, y], [dx]) => {
    const g = f32(dy!);
    const l = f32(y!);
    const out = f32(dx!);
    const cols = lastDim(y!.shape);
    for (let o = 0; o < l.length; o += cols) {
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += g[o + j]!;
      for (let j = 0; j < cols; j++) out[o + j] = g[o + j]! - Math.exp(l[o + j]!) * sum;
    }
  },
} satisfies CpuKernelMap;
