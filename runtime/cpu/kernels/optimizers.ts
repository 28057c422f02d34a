import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { simdUpdate, updateScalars as s } from '../simd/stored-memory.js';

/**
 * Optimizer updates, in place on the parameter and its slots (inputs[0] and inputs[2...]); the
 * formulas are those documented in runtime/plan/kernels.ts. `ctx.lr` and `ctx.step` come from the
 * executor. Also the l1/l2 regularisation kernels.
 *
 * When the parameter and its slots live in the executor's stored WebAssembly memory
 * (simd/stored-memory.ts), the float32 SIMD loop (simd/optimizer-module.ts) updates them in place,
 * all but the last `length % 4` values, on the worker pool when they are many; the JS loops below
 * (float64 arithmetic, the reference) do the rest, or everything when the arrays are plain. The
 * settings reach the SIMD loop through `updateScalars` (`s` here), filled before each call in the
 * order of the update's scalars (optimizer-module.ts): no array per call.
 */

const gd: CpuKernel = (ctx, inputs) => {
  const p = f32(inputs[0]!);
  const g = f32(inputs[1]!);
  s[0] = ctx.lr;
  const start = simdUpdate('gd', p, g);
  for (let i = start; i < p.length; i++) p[i]! -= ctx.lr * g[i]!;
};

const sgd: CpuKernel = (ctx, inputs, _outputs, attrs) => {
  const p = f32(inputs[0]!);
  const g = f32(inputs[1]!);
  const v = f32(inputs[2]!);
  const momentum = attrs.momentum as number;
  const nesterov = attrs.nesterov === true;
  s[0] = ctx.lr;
  s[1] = momentum;
  const start = simdUpdate(nesterov ? 'nesterov' : 'sgd', p, g, v);
  for (let i = start; i < p.length; i++) {
    const vi = momentum * v[i]! - ctx.lr * g[i]!;
    v[i] = vi;
    p[i]! += nesterov ? momentum * vi - ctx.lr * g[i]! : vi;
  }
};

function adamLike(decoupled: boolean): CpuKernel {
  return (ctx, inputs, _outputs, attrs) => {
    const p = f32(inputs[0]!);
    const g = f32(inputs[1]!);
    const m = f32(inputs[2]!);
    const v = f32(inputs[3]!);
    const b1 = attrs.beta1 as number;
    const b2 = attrs.beta2 as number;
    const eps = attrs.epsilon as number;
    const decay = decoupled ? (attrs.weightDecay as number) : 0;
    const c1 = 1 - b1 ** ctx.step;
    const c2 = 1 - b2 ** ctx.step;
    s[0] = ctx.lr;
    s[1] = b1;
    s[2] = b2;
    s[3] = eps;
    s[4] = c1;
    s[5] = c2;
    s[6] = decay;
    const start = simdUpdate(decay !== 0 ? 'adamw' : 'adam', p, g, m, v);
    for (let i = start; i < p.length; i++) {
      const gi = g[i]!;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const vi = b2 * v[i]! + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      if (decay !== 0) p[i]! -= ctx.lr * decay * p[i]!;
      p[i]! -= (ctx.lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
    }
  };
}

const adagrad: CpuKernel = (ctx, inputs, _outputs, attrs) => {
  const p = f32(inputs[0]!);
  const g = f32(inputs[1]!);
  const a = f32(inputs[2]!);
  const eps = attrs.epsilon as number;
  s[0] = ctx.lr;
  s[1] = eps;
  const start = simdUpdate('adagrad', p, g, a);
  for (let i = start; i < p.length; i++) {
    a[i]! += g[i]! * g[i]!;
    p[i]! -= (ctx.lr * g[i]!) / (Math.sqrt(a[i]!) + eps);
  }
};

const rmsprop: CpuKernel = (ctx, inputs, _outputs, attrs) => {
  const p = f32(inputs[0]!);
  const g = f32(inputs[1]!);
  const ms = f32(inputs[2]!);
  const mom = f32(inputs[3]!);
  const rho = attrs.rho as number;
  const eps = attrs.epsilon as number;
  const momentum = attrs.momentum as number;
  s[0] = ctx.lr;
  s[1] = rho;
  s[2] = eps;
  s[3] = momentum;
  const start = simdUpdate('rmsprop', p, g, ms, mom);
  for (let i = start; i < p.length; i++) {
    ms[i] = rho * ms[i]! + (1 - rho) * g[i]! * g[i]!;
    mom[i] = momentum * mom[i]! + (ctx.lr * g[i]!) / (Math.sqrt(ms[i]!) + eps);
    p[i]! -= mom[i]!;
  }
};

const penalty: CpuKernel = (_ctx, [w], [out], attrs) => {
  const wd = f32(w!);
  const l1 = attrs.l1 as number;
  const l2 = attrs.l2 as number;
  let abs = 0;
  let sq = 0;
  for (let i = 0; i < wd.length; i++) {
    abs += Math.abs(wd[i]!);
    sq += wd[i]! * wd[i]!;
  }
  f32(out!)[0] = l1 * abs + l2 * sq;
};

const penaltyGrad: CpuKernel = (_ctx, [grad, w], [out], attrs) => {
  const g = f32(grad!);
  const wd = f32(w!);
  const o = f32(out!);
  const l1 = attrs.l1 as number;
  const l2 = attrs.l2 as number;
  for (let i = 0; i < o.length; i++) o[i] = g[i]! + l1 * Math.sign(wd[i]!) + 2 * l2 * wd[i]!;
};

export const optimizerKernels = {
  gd_update: gd,
  sgd_update: sgd,
  adam_update: adamLike(false),
  adamw_update: adamLike(true),
  adagrad_update: adagrad,
  rmsprop_update: rmsprop,
  l1_l2_penalty: penalty,
  l1_l2_grad: penaltyGrad,
} satisfies CpuKernelMap;
