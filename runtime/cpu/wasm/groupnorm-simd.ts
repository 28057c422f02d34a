import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { groupLayout, groupnormKernels, type GroupLayout } from '../kernels/groupnorm.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { byChannels, byRows, normModule } from './norm-simd.js';

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

/** Per-channel vector at byte `at`: each channel of group g gets stats[offset + g]. */
function broadcast(floats: Float32Array, at: number, s: GroupLayout, stats: Float32Array, offset: number): void {
  // A loop, not fill(): a float argument to the builtin is boxed, a heap number per call.
  for (let g = 0; g < s.groups; g++) {
    const value = stats[offset + g]!;
    for (let c = at / 4 + g * s.cpg; c < at / 4 + (g + 1) * s.cpg; c++) floats[c] = value;
  }
}

/** Σ over group g's channels of floats[at/4 + c], each times weight[c] when a weight is given. */
function groupSum(floats: Float32Array, at: number, s: GroupLayout, g: number, weight: Float32Array | null = null): number {
  let sum = 0;
  for (let c = g * s.cpg; c < (g + 1) * s.cpg; c++) sum += (weight ? weight[c]! : 1) * floats[at / 4 + c]!;
  return sum;
}

/**
 * The layout of a step's input, kept per attrs object while its shape stays, and the passes' argument
 * lists, filled per call: a steady-state call allocates nothing.
 */
const layouts = new WeakMap<object, { shape: number[]; layout: GroupLayout }>();
function layoutFor(shape: number[], attrs: object, groups: number): GroupLayout {
  const kept = layouts.get(attrs);
  if (kept && kept.shape.length === shape.length && kept.shape.every((d, i) => d === shape[i])) return kept.layout;
  const layout = groupLayout(shape, groups);
  layouts.set(attrs, { shape: [...shape], layout });
  return layout;
}
const sumArgs = [0, 0, 0, 0];
const sqdevArgs = [0, 0, 0, 0, 0];
const applyArgs = [0, 0, 0, 0, 0, 0, 0, 0];
const gradSumArgs = [0, 0, 0, 0, 0, 0, 0, 0];
const gradApplyArgs = [0, 0, 0, 0, 0, 0, 0, 0, 0];
/** args[0..] = the values given (as many as args holds): fixed parameters, not a rest array, so nothing is allocated. */
function fill(args: number[], a0: number, a1: number, a2: number, a3: number, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0): number[] {
  args[0] = a0;
  args[1] = a1;
  args[2] = a2;
  args[3] = a3;
  if (args.length > 4) args[4] = a4;
  if (args.length > 5) args[5] = a5;
  if (args.length > 6) args[6] = a6;
  if (args.length > 7) args[7] = a7;
  if (args.length > 8) args[8] = a8;
  return args;
}

export const groupnormSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const s = layoutFor(x.shape, attrs, attrs.groups as number);
  const module = s.c % 4 === 0 && s.positions > 0 ? normModule() : null;
  if (!module) return groupnormKernels.groupnorm(ctx, inputs, outputs, attrs);
  const eps = attrs.epsilon as number;
  const xd = f32(x);
  const yd = f32(outputs[0]!);
  const mean = f32(outputs[1]!);
  const invstd = f32(outputs[2]!);
  const gamma = f32(inputs[1]!);
  const beta = f32(inputs[2]!);
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(xd);
  const yAt = call.output(yd);
  const sumAt = call.scratch(s.c);
  const meanAt = call.scratch(s.c);
  const invstdAt = call.scratch(s.c);
  const gAt = call.scratch(s.c);
  const bAt = call.scratch(s.c);
  const floats = floatsOf(module.gemm.memory);
  for (let c = 0; c < s.c; c++) {
    floats[gAt / 4 + c] = gamma[c]!;
    floats[bAt / 4 + c] = beta[c]!;
  }
  const cBytes = s.c * 4;
  const count = s.positions * s.cpg;
  const sampleBytes = s.positions * cBytes;
  for (let b = 0; b < s.n; b++) {
    const xb = xAt + b * sampleBytes;
    const yb = yAt + b * sampleBytes;
    const stats = b * s.groups;
    floats.fill(0, sumAt / 4, sumAt / 4 + s.c);
    byChannels(module, 'bn_sum', fill(sumArgs, xb, s.positions, cBytes, sumAt), s.positions, s.c);
    for (let g = 0; g < s.groups; g++) mean[stats + g] = groupSum(floats, sumAt, s, g) / count;
    broadcast(floats, meanAt, s, mean, stats);
    floats.fill(0, sumAt / 4, sumAt / 4 + s.c);
    byChannels(module, 'bn_sqdev', fill(sqdevArgs, xb, s.positions, cBytes, meanAt, sumAt), s.positions, s.c);
    for (let g = 0; g < s.groups; g++) invstd[stats + g] = 1 / Math.sqrt(groupSum(floats, sumAt, s, g) / count + eps);
    broadcast(floats, invstdAt, s, invstd, stats);
    byRows(module, 'bn_apply', fill(applyArgs, xb, yb, s.positions, cBytes, meanAt, invstdAt, gAt, bAt), s.positions, s.c);
  }
  call.copyOut(yd, yAt);
};

export const groupnormGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[1]!;
  const s = layoutFor(x.shape, attrs, attrs.groups as number);
  const module = s.c % 4 === 0 && s.positions > 0 ? normModule() : null;
  if (!module) return groupnormKernels.groupnorm_grad(ctx, inputs, outputs, attrs);
  const dyd = f32(inputs[0]!);
  const xd = f32(x);
  const gm = f32(inputs[2]!);
  const mean = f32(inputs[3]!);
  const invstd = f32(inputs[4]!);
  const dxd = f32(outputs[0]!);
  const dg = f32(outputs[1]!);
  const db = f32(outputs[2]!);
  const call = callLayout(module.gemm.memory);
  const dyAt = call.input(dyd);
  const xAt = call.input(xd);
  const dxAt = call.output(dxd);
  const meanAt = call.scratch(s.c);
  const invstdAt = call.scratch(s.c);
  const dbAt = call.scratch(s.c);
  const dgAt = call.scratch(s.c);
  // Per channel of the sample: dx = a·dy + k·(x − mean) + c0 (gn_grad_apply).
  const aAt = call.scratch(s.c);
  const kAt = call.scratch(s.c);
  const c0At = call.scratch(s.c);
  const floats = floatsOf(module.gemm.memory);
  const cBytes = s.c * 4;
  const count = s.positions * s.cpg;
  const sampleBytes = s.positions * cBytes;
  const a = aAt / 4;
  const k = kAt / 4;
  const c0 = c0At / 4;
  dg.fill(0);
  db.fill(0);
  for (let b = 0; b < s.n; b++) {
    const stats = b * s.groups;
    broadcast(floats, meanAt, s, mean, stats);
    broadcast(floats, invstdAt, s, invstd, stats);
    floats.fill(0, dbAt / 4, dbAt / 4 + s.c);
    floats.fill(0, dgAt / 4, dgAt / 4 + s.c);
    byChannels(module, 'bn_grad_sums', fill(gradSumArgs, dyAt + b * sampleBytes, xAt + b * sampleBytes, s.positions, cBytes, meanAt, invstdAt, dbAt, dgAt), s.positions, s.c);
    for (let c = 0; c < s.c; c++) {
      db[c]! += floats[dbAt / 4 + c]!;
      dg[c]! += floats[dgAt / 4 + c]!;
    }
    for (let g = 0; g < s.groups; g++) {
      const inv = invstd[stats + g]!;
      // Σ d and Σ d·x̂ over the group, d = dy·γ.
      const sumD = groupSum(floats, dbAt, s, g, gm);
      const sumDX = groupSum(floats, dgAt, s, g, gm);
      for (let c = g * s.cpg; c < (g + 1) * s.cpg; c++) {
        floats[a + c] = inv * gm[c]!;
        floats[k + c] = (-inv * inv * sumDX) / count;
        floats[c0 + c] = (-inv * sumD) / count;
      }
    }
    byRows(module, 'gn_grad_apply', fill(gradApplyArgs, dyAt + b * sampleBytes, xAt + b * sampleBytes, dxAt + b * sampleBytes, s.positions, cBytes, aAt, kAt, meanAt, c0At), s.positions, s.c);
  }
  call.copyOut(dxd, dxAt);
};
