import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';

/**
 * reverse_sequence: each row of x [N, T, ...] reversed over its own length L_b (1 + the last step
 * whose mask is nonzero), the steps after it left in place. A copy of whole steps, so any dtype.
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

export const sequenceKernels = { reverse_sequence: reverseSequence } satisfies CpuKernelMap;
