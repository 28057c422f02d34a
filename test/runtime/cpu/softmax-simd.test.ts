import { expect, it } from 'vitest';
import type { Attrs, CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { lossKernels } from '../../../runtime/cpu/kernels/losses.js';
import { softmaxKernels } from '../../../runtime/cpu/kernels/softmax.js';
import { softmaxModuleBytes } from '../../../runtime/cpu/wasm/softmax-module.js';
import { softmaxSimdKernels } from '../../../runtime/cpu/wasm/softmax-simd.js';
import { random, size } from './float-data.js';
import { describeBuild, wasmBuild } from './wasm-build.js';

/**
 * softmax, log-softmax, their gradients and the softmax cross-entropies on WASM SIMD against
 * the JS kernels (Math.exp, float64 sums), rows of any length (tails of 1–3 floats, fewer than 4
 * columns) and logits up to ±40. Stated tolerances, absolute: probabilities and their gradients
 * 4e-7 (a few float32 ulps of values ≤ 1: exp's 1.2e-7 relative error, float32 sums); log-probabilities
 * 2e-6 relative to the row's largest |logit| + 1 (x − (max + ln Σ) rounds at that scale); the loss
 * 1e-6 relative. The cross-entropies with label smoothing and class weights (kernels/losses.ts's
 * weightedCE): dpred within 4e-7 · the largest class weight / rows.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (shape: number[], data: Float32Array | Int32Array): CpuTensor => ({ shape, data });

function runWith(kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][], attrs: Attrs): Float32Array[] {
  const outputs = outputShapes.map((shape) => t(shape, new Float32Array(size(shape)).fill(5)));
  kernel(ctx, inputs, outputs, attrs);
  return outputs.map((o) => o.data as Float32Array);
}
const run = (kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][]): Float32Array[] => runWith(kernel, inputs, outputShapes, {});

function within(got: Float32Array, want: Float32Array, bound: number, what: string): void {
  let worst = 0;
  let at = -1;
  want.forEach((v, i) => {
    const e = Math.abs(got[i]! - v);
    if (!(e <= worst)) [worst, at] = [e, i];
  });
  expect(worst, `${what}: worst at ${at}, ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(bound);
}

const SHAPES = [[7, 13], [5, 10], [64, 256], [9, 3], [2, 3, 4], [300, 10], [4, 1]];

describeBuild('softmax on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(softmaxModuleBytes(false, wasmBuild === 'fma'))).toBe(true);
  });

  for (const shape of SHAPES) {
    for (const scale of [1, 40]) {
      const x = random(size(shape), shape.length + shape[0]!).map((v) => v * scale);
      const dy = random(size(shape), 9);
      it(`softmax and log_softmax, forward and gradient, [${shape.join(', ')}], logits within ±${scale}`, () => {
        const [want] = run(softmaxKernels.softmax, [t(shape, x)], [shape]);
        const [got] = run(softmaxSimdKernels.softmax, [t(shape, x)], [shape]);
        within(got!, want!, 4e-7, 'softmax');
        const [wantLog] = run(softmaxKernels.log_softmax, [t(shape, x)], [shape]);
        const [gotLog] = run(softmaxSimdKernels.log_softmax, [t(shape, x)], [shape]);
        within(gotLog!, wantLog!, 2e-6 * (scale + 1), 'log_softmax');
        const [wantGrad] = run(softmaxKernels.softmax_grad, [t(shape, dy), t(shape, want!)], [shape]);
        const [gotGrad] = run(softmaxSimdKernels.softmax_grad, [t(shape, dy), t(shape, want!)], [shape]);
        within(gotGrad!, wantGrad!, 4e-7, 'softmax_grad');
        const [wantLogGrad] = run(softmaxKernels.log_softmax_grad, [t(shape, dy), t(shape, wantLog!)], [shape]);
        const [gotLogGrad] = run(softmaxSimdKernels.log_softmax_grad, [t(shape, dy), t(shape, wantLog!)], [shape]);
        within(gotLogGrad!, wantLogGrad!, 4e-7 * shape[shape.length - 1]!, 'log_softmax_grad');
      });
    }
  }

  for (const [rows, classes] of [[64, 10], [37, 7], [16, 256]] as const) {
    it(`sparse softmax cross-entropy, ${rows} rows of ${classes} classes: loss and gradient`, () => {
      const z = random(rows * classes, 4).map((v) => v * 8);
      const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7) % classes);
      const inputs = [t([rows, classes], z), t([rows], labels)];
      const [wantLoss, want] = run(lossKernels.sparse_softmax_cross_entropy_loss, inputs, [[], [rows, classes]]);
      const [gotLoss, got] = run(softmaxSimdKernels.sparse_softmax_cross_entropy_loss, inputs, [[], [rows, classes]]);
      within(got!, want!, 4e-7 / rows, 'dpred');
      expect(Math.abs(gotLoss![0]! - wantLoss![0]!)).toBeLessThanOrEqual(1e-6 * Math.abs(wantLoss![0]!));
    });
  }

  for (const [rows, classes] of [[64, 10], [37, 7], [16, 256]] as const) {
    it(`masked sparse and dense softmax cross-entropies, ${rows} rows of ${classes} classes: loss and gradient`, () => {
      const z = random(rows * classes, 5).map((v) => v * 8);
      const labels = Int32Array.from({ length: rows }, (_, r) => (r * 5) % classes);
      const mask = Int32Array.from({ length: rows }, (_, r) => (r % 3 === 1 ? 0 : 1));
      const masked = [t([rows, classes], z), t([rows], labels), t([rows], mask)];
      const [wantLoss, want] = run(lossKernels.masked_sparse_softmax_cross_entropy_loss, masked, [[], [rows, classes]]);
      const [gotLoss, got] = run(softmaxSimdKernels.masked_sparse_softmax_cross_entropy_loss, masked, [[], [rows, classes]]);
      within(got!, want!, 4e-7 / rows, 'masked dpred');
      expect(Math.abs(gotLoss![0]! - wantLoss![0]!)).toBeLessThanOrEqual(1e-6 * Math.abs(wantLoss![0]!));
      // Soft targets: rows summing to 1 and to 0.5.
      const target = random(rows * classes, 6).map((v, i) => (Math.abs(v) / classes) * (Math.floor(i / classes) % 2 ? 1 : 0.5));
      const dense = [t([rows, classes], z), t([rows, classes], target)];
      const [wantDense, wantG] = run(lossKernels.softmax_cross_entropy_loss, dense, [[], [rows, classes]]);
      const [gotDense, gotG] = run(softmaxSimdKernels.softmax_cross_entropy_loss, dense, [[], [rows, classes]]);
      within(gotG!, wantG!, 4e-7 / rows, 'dense dpred');
      expect(Math.abs(gotDense![0]! - wantDense![0]!)).toBeLessThanOrEqual(1e-6 * Math.abs(wantDense![0]!));
    });
  }

  it('every row masked: loss 0 and no gradient, as the JS kernel', () => {
    const inputs = [t([4, 5], random(20, 1)), t([4], Int32Array.from([0, 1, 2, 3])), t([4], new Int32Array(4))];
    const [loss, g] = run(softmaxSimdKernels.masked_sparse_softmax_cross_entropy_loss, inputs, [[], [4, 5]]);
    expect([loss![0], ...g!]).toEqual(new Array(21).fill(0));
  });

  it('a label outside the classes is refused as by the JS kernel', () => {
    const inputs = [t([4, 5], random(20, 1)), t([4], Int32Array.from([0, 1, 5, 2]))];
    expect(() => run(softmaxSimdKernels.sparse_softmax_cross_entropy_loss, inputs, [[], [4, 5]])).toThrow(/label 5 in row 2 is outside the 5 classes/);
  });

  const LABEL_ATTRS = [{ smoothing: 0.1, weighted: false }, { smoothing: 0, weighted: true }, { smoothing: 0.2, weighted: true }];
  for (const [rows, classes] of [[64, 10], [37, 7], [16, 256]] as const) {
    for (const label of LABEL_ATTRS) {
      const classWeights = Array.from({ length: classes }, (_, j) => 0.25 + (j % 5) * 0.5);
      const attrs: Attrs = label.weighted ? { smoothing: label.smoothing, classWeights } : { smoothing: label.smoothing };
      const heaviest = label.weighted ? Math.max(...classWeights) : 1;
      it(`sparse and dense softmax cross-entropies, smoothing ${label.smoothing}${label.weighted ? ', class weights' : ''}, ${rows} rows of ${classes} classes: loss and gradient`, () => {
        const z = random(rows * classes, 7).map((v) => v * 8);
        const labels = Int32Array.from({ length: rows }, (_, r) => (r * 3) % classes);
        const sparse = [t([rows, classes], z), t([rows], labels)];
        const [wantLoss, want] = runWith(lossKernels.sparse_softmax_cross_entropy_loss, sparse, [[], [rows, classes]], attrs);
        const [gotLoss, got] = runWith(softmaxSimdKernels.sparse_softmax_cross_entropy_loss, sparse, [[], [rows, classes]], attrs);
        within(got!, want!, (4e-7 * heaviest) / rows, 'sparse dpred');
        expect(Math.abs(gotLoss![0]! - wantLoss![0]!)).toBeLessThanOrEqual(1e-6 * Math.abs(wantLoss![0]!));
        // Soft targets: rows summing to 1 and to 0.5.
        const target = random(rows * classes, 8).map((v, i) => (Math.abs(v) / classes) * (Math.floor(i / classes) % 2 ? 1 : 0.5));
        const dense = [t([rows, classes], z), t([rows, classes], target)];
        const [wantDense, wantG] = runWith(lossKernels.softmax_cross_entropy_loss, dense, [[], [rows, classes]], attrs);
        const [gotDense, gotG] = runWith(softmaxSimdKernels.softmax_cross_entropy_loss, dense, [[], [rows, classes]], attrs);
        within(gotG!, wantG!, (4e-7 * heaviest) / rows, 'dense dpred');
        expect(Math.abs(gotDense![0]! - wantDense![0]!)).toBeLessThanOrEqual(1e-6 * Math.abs(wantDense![0]!));
      });
    }
  }

  it('with label smoothing a label outside the classes is refused too', () => {
    const inputs = [t([4, 5], random(20, 1)), t([4], Int32Array.from([0, 1, 5, 2]))];
    expect(() => runWith(softmaxSimdKernels.sparse_softmax_cross_entropy_loss, inputs, [[], [4, 5]], { smoothing: 0.1 })).toThrow(/label 5 in row 2 is outside the 5 classes/);
  });
});
