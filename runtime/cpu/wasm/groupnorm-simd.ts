import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { groupLayout, groupnormKernels, type GroupLayout } from '../kernels/groupnorm.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { byChannels, normModule } from './norm-simd.js';

/**
 * groupnorm and its gradient on batchnorm's WebAssembly SIMD passes (norm-module.ts) for
 * channels-last [N, ..., C] with C a multiple of 4. Each sample is a [positions, C] block: its
 * per-channel sums (bn_sum, bn_grad_sums) run in WASM four channels at a time, JS adds them up per
 * group (C/G values each) and broadcasts the group's mean and 1/σ back to its channels, and the
 * normalisation itself is bn_apply with those per-channel vectors. The gradient's last pass,
 * dx = inv·γ·dy − inv·Σd/M − x̂·inv·Σd·x̂/M, is gn_grad_apply with per-channel coefficients JS works
 * out from the group sums (C values a sample).
 * Otherwise (C not a multiple of 4, no WASM SIMD) the JS kernels (runtime/cpu/kernels/groupnorm.ts).
 *
 * Numerics: float32 per-channel sums over positions (then float64 across a group's channels), where
 * the JS kernel sums in float64, and the last pass in float32; within the op suite's 1e-4
 * (test/runtime/cpu/groupnorm-simd.test.ts).
 */

/** Per-channel vector: each channel gets its group's value. */
function broadcast(floats: Float32Array, at: number, s: GroupLayout, value: (g: number) => number): void {
  for (let g = 0; g < s.groups; g++) floats.fill(value(g), at / 4 + g * s.cpg, at / 4 + (g + 1) * s.cpg);
}

/** Σ over group g's channels of weight(c)·floats[at/4 + c]. */
function groupSum(floats: Float32Array, at: number, s: GroupLayout, g: number, weight: (c: number) => number = () => 1): number {
  let sum = 0;
  for (let c = g * s.cpg; c < (g + 1) * s.cpg; c++) sum += weight(c) * floats[at / 4 + c]!;
  return sum;
}

export const groupnormSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const [x, gamma, beta] = inputs;
  const [y, meanOut, invstdOut] = outputs;
  const s = groupLayout(x!.shape, attrs.groups as number);
  const module = s.c % 4 === 0 && s.positions > 0 ? normModule() : null;
  if (!module) return groupnormKernels.groupnorm(ctx, inputs, outputs, attrs);
  const eps = attrs.epsilon as number;
  const [xd, yd, mean, invstd] = [f32(x!), f32(y!), f32(meanOut!), f32(invstdOut!)];
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(xd);
  const yAt = call.output(yd);
  const [sumAt, meanAt, invstdAt, gAt, bAt] = [call.scratch(s.c), call.scratch(s.c), call.scratch(s.c), call.scratch(s.c), call.scratch(s.c)];
  const floats = floatsOf(module.gemm.memory);
  floats.set(f32(gamma!).subarray(0, s.c), gAt / 4);
  floats.set(f32(beta!).subarray(0, s.c), bAt / 4);
  const cBytes = s.c * 4;
  const count = s.positions * s.cpg;
  const sampleBytes = s.positions * cBytes;
  for (let b = 0; b < s.n; b++) {
    const [xb, yb] = [xAt + b * sampleBytes, yAt + b * sampleBytes];
    const stats = b * s.groups;
    floats.fill(0, sumAt / 4, sumAt / 4 + s.c);
    byChannels(module, 'bn_sum', [xb, s.positions, cBytes, sumAt], s.positions, s.c);
    for (let g = 0; g < s.groups; g++) mean[stats + g] = groupSum(floats, sumAt, s, g) / count;
    broadcast(floats, meanAt, s, (g) => mean[stats + g]!);
    floats.fill(0, sumAt / 4, sumAt / 4 + s.c);
    byChannels(module, 'bn_sqdev', [xb, s.positions, cBytes, meanAt, sumAt], s.positions, s.c);
    for (let g = 0; g < s.groups; g++) invstd[stats + g] = 1 / Math.sqrt(groupSum(floats, sumAt, s, g) / count + eps);
    broadcast(floats, invstdAt, s, (g) => invstd[stats + g]!);
    byChannels(module, 'bn_apply', [xb, yb, s.positions, cBytes, meanAt, invstdAt, gAt, bAt], s.positions, s.c);
  }
  call.copyOut(yd, yAt);
};

export const groupnormGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const [dy, x, gamma, meanIn, invstdIn] = inputs;
  const [dx, dgamma, dbeta] = outputs;
  const s = groupLayout(x!.shape, attrs.groups as number);
  const module = s.c % 4 === 0 && s.positions > 0 ? normModule() : null;
  if (!module) return groupnormKernels.groupnorm_grad(ctx, inputs, outputs, attrs);
  const [dyd, xd, gm, mean, invstd, dxd, dg, db] = [f32(dy!), f32(x!), f32(gamma!), f32(meanIn!), f32(invstdIn!), f32(dx!), f32(dgamma!), f32(dbeta!)];
  const call = callLayout(module.gemm.memory);
  const dyAt = call.input(dyd);
  const xAt = call.input(xd);
  const dxAt = call.output(dxd);
  const [meanAt, invstdAt, dbAt, dgAt] = [call.scratch(s.c), call.scratch(s.c), call.scratch(s.c), call.scratch(s.c)];
  // Per channel of the sample: dx = a·dy + k·(x − mean) + c0 (gn_grad_apply).
  const [aAt, kAt, c0At] = [call.scratch(s.c), call.scratch(s.c), call.scratch(s.c)];
  const floats = floatsOf(module.gemm.memory);
  const cBytes = s.c * 4;
  const count = s.positions * s.cpg;
  const sampleBytes = s.positions * cBytes;
  const [a, k, c0] = [aAt / 4, kAt / 4, c0At / 4];
  dg.fill(0);
  db.fill(0);
  for (let b = 0; b < s.n; b++) {
    const stats = b * s.groups;
    broadcast(floats, meanAt, s, (g) => mean[stats + g]!);
    broadcast(floats, invstdAt, s, (g) => invstd[stats + g]!);
    floats.fill(0, dbAt / 4, dbAt / 4 + s.c);
    floats.fill(0, dgAt / 4, dgAt / 4 + s.c);
    byChannels(module, 'bn_grad_sums', [dyAt + b * sampleBytes, xAt + b * sampleBytes, s.positions, cBytes, meanAt, invstdAt, dbAt, dgAt], s.positions, s.c);
    for (let c = 0; c < s.c; c++) {
      db[c]! += floats[dbAt / 4 + c]!;
      dg[c]! += floats[dgAt / 4 + c]!;
    }
    for (let g = 0; g < s.groups; g++) {
      const inv = invstd[stats + g]!;
      // Σ d and Σ d·x̂ over the group, d = dy·γ.
      const sumD = groupSum(floats, dbAt, s, g, (c) => gm[c]!);
      const sumDX = groupSum(floats, dgAt, s, g, (c) => gm[c]!);
      for (let c = g * s.cpg; c < (g + 1) * s.cpg; c++) {
        floats[a + c] = inv * gm[c]!;
        floats[k + c] = (-inv * inv * sumDX) / count;
        floats[c0 + c] = (-inv * sumD) / count;
      }
    }
    byChannels(module, 'gn_grad_apply', [dyAt + b * sampleBytes, xAt + b * sampleBytes, dxAt + b * sampleBytes, s.positions, cBytes, aAt, kAt, meanAt, c0At], s.positions, s.c);
  }
  call.copyOut(dxd, dxAt);
};
