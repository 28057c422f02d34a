import { expect, it } from 'vitest';
import type { CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { lossKernels } from '../../../runtime/cpu/kernels/losses.js';
import { softmaxSimdKernels } from '../../../runtime/cpu/wasm/softmax-simd.js';
import { describeBuild } from './wasm-build.js';

/**
 * The sparse softmax cross-entropy of a row whose label's logit lies far below the row's largest
 * (a diverging run, e.g. VGG-11 at lr 0.1 on its third step): the label's float32 probability
 * underflows, and the loss must still be −log_softmax(z)[label], not −ln of a clamped probability
 * (the CPU kernels capped each row at −ln 1e-30 = 69.08 and so reported 31.2 where PyTorch's
 * F.cross_entropy gives 42.75). Oracle: row r holds zeros but 60 + r at one wrong class, so its loss
 * is 60 + r + ln(1 + 9·e^−(60+r)) = 60 + r to float64 precision; over 64 rows the mean is 91.5, which
 * is also what PyTorch 1.13's F.cross_entropy returns for these logits. Tolerance 1e-6 relative (the
 * loss is a float32 output); the gradient (softmax − onehot)/rows to 1e-9 absolute.
 */
const ROWS = 64;
const CLASSES = 10;
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (shape: number[], data: Float32Array | Int32Array): CpuTensor => ({ shape, data });

const logits = new Float32Array(ROWS * CLASSES);
const labels = Int32Array.from({ length: ROWS }, (_, r) => r % CLASSES);
for (let r = 0; r < ROWS; r++) logits[r * CLASSES + ((r + 1) % CLASSES)] = 60 + r;
const WANT_LOSS = 91.5;

function run(kernel: CpuKernel, inputs: CpuTensor[]): { loss: number; dpred: Float32Array } {
  const loss = t([], new Float32Array(1));
  const dpred = t([ROWS, CLASSES], new Float32Array(ROWS * CLASSES).fill(5));
  kernel(ctx, inputs, [loss, dpred], {});
  return { loss: loss.data[0]!, dpred: dpred.data as Float32Array };
}

function expectExact({ loss, dpred }: { loss: number; dpred: Float32Array }): void {
  expect(Math.abs(loss - WANT_LOSS)).toBeLessThanOrEqual(1e-6 * WANT_LOSS);
  for (let r = 0; r < ROWS; r++) {
    for (let j = 0; j < CLASSES; j++) {
      const want = ((j === (r + 1) % CLASSES ? 1 : 0) - (j === labels[r] ? 1 : 0)) / ROWS;
      expect(Math.abs(dpred[r * CLASSES + j]! - want), `dpred[${r}, ${j}]`).toBeLessThanOrEqual(1e-9);
    }
  }
}

describeBuild('sparse softmax cross-entropy where the label probability underflows float32', () => {
  const plain = [t([ROWS, CLASSES], logits), t([ROWS], labels)];
  const allKept = [...plain, t([ROWS], new Int32Array(ROWS).fill(1))];

  it('the JS kernel reports −log_softmax[label] from the logits', () => {
    expectExact(run(lossKernels.sparse_softmax_cross_entropy_loss, plain));
  });

  it('the WASM SIMD kernel does too', () => {
    expectExact(run(softmaxSimdKernels.sparse_softmax_cross_entropy_loss, plain));
  });

  it('the masked kernels with every row kept agree (JS and SIMD)', () => {
    expectExact(run(lossKernels.masked_sparse_softmax_cross_entropy_loss, allKept));
    expectExact(run(softmaxSimdKernels.masked_sparse_softmax_cross_entropy_loss, allKept));
  });
});
