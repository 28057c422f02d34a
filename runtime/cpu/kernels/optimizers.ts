import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * Optimizer updates, in place on the parameter and its slots (inputs[0] and inputs[2...]); the
 * formulas are those documented in runtime/plan/kernels.ts. `ctx.lr` and `ctx.step` come from the
 * executor. Also the l1/l2 regularisation kernels.
 */
const gd: CpuKernel = (ctx, [param, grad]) => {
  const p = f32(param!);
  const g = f32(grad!);
  for (let i = 0; i < p.length; i++) p[i]! -= ctx.lr * g[i]!;
};

const sgd: CpuKernel = (ctx, [param, grad, velocity], _outputs, attrs) => {
  const p = f32(param!);
  const g = f32(grad!);
  const v = f32(velocity!);
  const momentum = attrs.momentum as number;
  const nesterov = attrs.nesterov === true;
  for (let i = 0; i < p.length; i++) {
    const vi = momentum * v[i]! - ctx.lr * g[i]!;
    v[i] = vi;
    p[i]! += nesterov ? momentum * vi - ctx.lr * g[i]! : vi;
  }
};

function adamLike(decoupled: boolean): CpuKernel {
  return (ctx, [param, grad, mSlot, vSlot], _outputs, attrs) => {
    const p = f32(param!);
    const g = f32(grad!);
    const m = f32(mSlot!);
    const v = f32(vSlot!);
    const b1 = attrs.beta1 as number;
    const b2 = attrs.beta2 as number;
    const eps = attrs.epsilon as number;
    const decay = decoupled ? (attrs.weightDecay as number) : 0;
    const c1 = 1 - b1 ** ctx.step;
    const c2 = 1 - b2 ** ctx.step;
    for (let i = 0; i < p.length; i++) {
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

const adagrad: CpuKernel = (ctx, [param, grad, accum], _outputs, attrs) => {
  const p = f32(param!);
  const g = f32(grad!);
  const a = f32(accum!);
  const eps = attrs.epsilon as number;
  for (let i = 0; i < p.length; i++) {
    a[i]! += g[i]! * g[i]!;
    p[i]! -= (ctx.lr * g[i]!) / (Math.sqrt(a[i]!) + eps);
  }
};

const rmsprop: CpuKernel = (ctx, [param, grad, msSlot, momSlot], _outputs, attrs) => {
  const p = f32(param!);
  const g = f32(grad!);
  const ms = f32(msSlot!);
  const mom = f32(momSlot!);
  const rho = attrs.rho as number;
  const eps = attrs.epsilon as number;
  const momentum = attrs.momentum as number;
  for (let i = 0; i < p.length; i++) {
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
