import { normalAt, randomKey, uniformAt } from '../../plan/counter-random.js';
import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * random: y shaped like x from normal(a, b) or uniform[a, b), drawn while training (or always with
 * `inference`) from the counter-based generator every back end shares; otherwise the mean.
 */
const random: CpuKernel = (ctx, [x], [y], attrs) => {
  const out = f32(y!);
  const a = attrs.a as number;
  const b = attrs.b as number;
  const normal = attrs.dist === 'normal';
  if (!ctx.training && attrs.inference !== true) {
    out.fill(normal ? a : (a + b) / 2);
    return;
  }
  const key = randomKey(ctx.seed, attrs.seed as number);
  const n = x!.data.length;
  for (let i = 0; i < n; i++) out[i] = normal ? a + b * normalAt(i, key) : a + (b - a) * uniformAt(i, key);
};

export const randomKernels = { random } satisfies CpuKernelMap;
