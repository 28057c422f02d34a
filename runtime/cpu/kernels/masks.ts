import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';

/**
 * The kernels of masks [N, T] (nonzero = a real step): reverse_sequence, each row of x [N, T, ...]
 * reversed over its own length L_b (1 + the last step whose mask is nonzero), the steps after it left
 * in place (a copy of whole steps, so any dtype); nonzero, a mask as 0/1 float weights.
 */
function sequenceLength(mask: ArrayLike<number>, b: number, steps: number): number {
  for (let t = steps - 1; t >= 0; t--) if (mask[b * steps + t] !== 0) return t + 1;
  return 0;
}

const reverseSequence: CpuKernel = (_ctx, [x, mask], [y]) => {
  const [n, steps] = [x!.shape[0]!, x!.shape[1]!];
  const width = n * steps === 0 ? 0 : x!.data.length / (n * steps);
  for (let b = 0; b < n; b++) {
    const length = sequenceLength(mask!.data, b, steps);
    for (let t = 0; t < steps; t++) {
      const from = (b * steps + (t < length ? length - 1 - t : t)) * width;
      y!.data.set(x!.data.subarray(from, from + width), (b * steps + t) * width);
    }
  }
};

const nonzero: CpuKernel = (_ctx, [x], [y]) => {
  const [from, to] = [x!.data, y!.data];
  for (let i = 0; i < from.length; i++) to[i] = from[i] !== 0 ? 1 : 0;
};

export const maskKernels = { reverse_sequence: reverseSequence, nonzero } satisfies CpuKernelMap;
