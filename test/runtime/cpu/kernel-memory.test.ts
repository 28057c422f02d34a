import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import type { CpuKernel, CpuTensor, EpilogueKernel } from '../../../runtime/cpu/kernel-interface.js';
import { optimizerKernels } from '../../../runtime/cpu/kernels/optimizers.js';
import { createStoredMemory } from '../../../runtime/cpu/simd/stored-memory.js';
import { convGradInputSimd, convGradWeightSimd, convSimd } from '../../../runtime/cpu/wasm/conv-simd.js';
import { groupedConvGradInputSimd, groupedConvGradWeightSimd, groupedConvSimd } from '../../../runtime/cpu/wasm/grouped-simd.js';
import { groupnormGradSimd, groupnormSimd } from '../../../runtime/cpu/wasm/groupnorm-simd.js';
import { tensorHeap } from '../../../runtime/cpu/wasm/install.js';
import { addressIn, KernelHeap, kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { limitPointerTables } from '../../../runtime/cpu/wasm/pointer-tables.js';
import { batchnormGradSimd, batchnormSimd, sumToSimd } from '../../../runtime/cpu/wasm/norm-simd.js';
import { avgpoolGradSimd, avgpoolSimd, globalAvgPoolGradSimd, globalAvgPoolSimd, maxpoolGradSimd, maxpoolSimd } from '../../../runtime/cpu/wasm/pool-simd.js';
import { sgemmModule, sgemmSimd } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { activationSimdKernels } from '../../../runtime/cpu/wasm/activation-simd.js';
import { layernormGradSimd, layernormSimd } from '../../../runtime/cpu/wasm/layernorm-simd.js';
import { lossSimdKernels } from '../../../runtime/cpu/wasm/loss-simd.js';
import { softmaxSimdKernels } from '../../../runtime/cpu/wasm/softmax-simd.js';
import { random, size } from './float-data.js';

/**
 * Operands that already lie in the kernels' memory (wasm/kernel-memory.ts: an executor's pooled
 * tensors) are read and written where they are instead of being copied in and out. The results must
 * be the same bits as with plain arrays (copied), for shapes where the output is written in place
 * (rows a multiple of 4, columns of 8) and where it is not.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

/** Copies of `arrays` placed in the GEMM module's memory, each with 64 bytes of slack (as the executor leaves), and a release. */
function inMemory(arrays: Float32Array[]): { views: Float32Array[]; release: () => void } {
  const heap = kernelHeap(sgemmModule()!.memory);
  const addresses = arrays.map((a) => heap.allocate(a.length * 4 + 64));
  const views = arrays.map((a, i) => {
    const view = heap.view('f32', addresses[i]!, a.length) as Float32Array;
    view.set(a);
    return view;
  });
  return { views, release: () => addresses.forEach((at) => heap.free(at)) };
}

/** Runs `kernel` on plain tensors and on the same tensors in the kernels' memory; both outputs, as plain arrays. */
function bothWays(kernel: CpuKernel, inputs: Array<{ shape: number[]; data: Float32Array }>, outputShapes: number[][], attrs: Record<string, unknown>): [Float32Array[], Float32Array[]] {
  const plainOut = outputShapes.map((shape) => ({ shape, data: new Float32Array(size(shape)) }));
  kernel(ctx, inputs.map((t) => ({ shape: t.shape, data: t.data.slice() })), plainOut, attrs as never);
  const placed = inMemory([...inputs.map((t) => t.data), ...outputShapes.map((shape) => new Float32Array(size(shape)).fill(7))]);
  const tensors: CpuTensor[] = placed.views.map((data, i) => ({ shape: i < inputs.length ? inputs[i]!.shape : outputShapes[i - inputs.length]!, data }));
  for (const t of tensors) expect(addressIn(sgemmModule()!.memory, t.data)).not.toBeNull();
  kernel(ctx, tensors.slice(0, inputs.length), tensors.slice(inputs.length), attrs as never);
  const placedOut = tensors.slice(inputs.length).map((t) => (t.data as Float32Array).slice());
  placed.release();
  return [plainOut.map((t) => t.data), placedOut];
}

describe('the kernels memory heap', () => {
  it('places blocks first fit, 16-aligned, with the scratch above the highest', () => {
    const heap = new KernelHeap(new WebAssembly.Memory({ initial: 1, maximum: 100, shared: true }));
    const a = heap.allocate(40);
    const b = heap.allocate(100);
    expect([a, b, heap.top()]).toEqual([0, 48, 160]);
    heap.free(a);
    expect(heap.allocate(16)).toBe(0); // the gap left by a
    expect(heap.allocate(64)).toBe(160); // too big for the rest of the gap
    heap.free(b);
    expect(heap.top()).toBe(224);
  });

  it('recognises its views after the shared memory grew, and nobody else’s', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 100, shared: true });
    const heap = new KernelHeap(memory);
    const view = heap.view('f32', heap.allocate(400), 100) as Float32Array;
    view[3] = 5;
    heap.allocate(3 * 65536); // grows the memory: its buffer is a new object
    expect(memory.buffer).not.toBe(view.buffer);
    expect(addressIn(memory, view)).toBe(0);
    expect(addressIn(memory, view.subarray(3))).toBe(12);
    expect(new Float32Array(memory.buffer)[3]).toBe(5);
    expect(addressIn(memory, new Float32Array(100))).toBeNull();
    expect(addressIn(new WebAssembly.Memory({ initial: 1 }), view)).toBeNull();
  });
});

describe('kernels on operands in their memory', () => {
  const module = sgemmModule();
  it.runIf(module)('the GEMM: A, row-major B, C and the bias in place give the bits of copies', () => {
    for (const [m, n, k] of [[64, 32, 48], [37, 13, 29], [8, 16, 300]] as const) {
      const a = random(m * k, 1);
      const b = random(k * n, 2);
      const bias = random(n, 3);
      const plain = new Float32Array(m * n);
      const epilogue = { bias, activation: 'relu' as const, alpha: 0, after: null };
      sgemmSimd(module!, a, k, 1, b, n, 1, plain, m, n, k, epilogue);
      const placed = inMemory([a, b, new Float32Array(m * n), bias]);
      const [pa, pb, pc, pbias] = placed.views as [Float32Array, Float32Array, Float32Array, Float32Array];
      sgemmSimd(module!, pa, k, 1, pb, n, 1, pc, m, n, k, { ...epilogue, bias: pbias });
      expect(pc.slice()).toEqual(plain);
      // Transposed A and B (packed): only C can be in place.
      const plainT = new Float32Array(m * n);
      sgemmSimd(module!, a, 1, m, b, 1, k, plainT, m, n, k);
      sgemmSimd(module!, pa, 1, m, pb, 1, k, pc, m, n, k);
      expect(pc.slice()).toEqual(plainT);
      placed.release();
    }
  });

  it.runIf(module)('convolutions: forward, input and weight gradients in place give the bits of copies, pointer tables kept or not', () => {
    const attrs = { strides: [1, 1], padding: 'same', dilation: [1, 1] };
    const cases = [[[4, 10, 10, 3], [16, 3, 3, 3], true], [[3, 7, 9, 5], [6, 3, 3, 5], true], [[4, 10, 10, 3], [16, 3, 3, 3], false]] as const;
    for (const [x, w, tables] of cases) {
      const limit = limitPointerTables(tables ? 1 << 22 : 0);
      const xs = [...x];
      const ws = [...w];
      const ys = [x[0], x[1], x[2], w[0]];
      const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);
      const forward: CpuKernel = (c, i, o, a) => (convSimd as EpilogueKernel)(c, i, o, a, { bias: null, pre: null, activation: null });
      const [plainY, placedY] = bothWays(forward, [{ shape: xs, data: random(size(xs), 4) }, { shape: ws, data: random(size(ws), 5) }], [ys], attrs);
      expect(placedY).toEqual(plainY);
      const [plainDx, placedDx] = bothWays(convGradInputSimd, [{ shape: ys, data: random(size(ys), 6) }, { shape: ws, data: random(size(ws), 5) }], [xs], attrs);
      expect(placedDx).toEqual(plainDx);
      const [plainDw, placedDw] = bothWays(convGradWeightSimd, [{ shape: ys, data: random(size(ys), 6) }, { shape: xs, data: random(size(xs), 4) }], [ws], attrs);
      expect(placedDw).toEqual(plainDw);
      limitPointerTables(limit);
    }
  });

  it.runIf(module)('depthwise, grouped and transposed convolutions in place give the bits of copies', () => {
    const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);
    const grouped: CpuKernel = (c, i, o, a) => (groupedConvSimd as EpilogueKernel)(c, i, o, a, { bias: null, pre: null, activation: null });
    // Depthwise with rows of 8 channels (read and written in place), depthwise ×2 on 5 channels (padded
    // copies), 2 groups (GEMMs, groups of 3 and 5 channels: copies with a scalar tail), 4 groups of 8
    // (the GEMM's tiles stored in place, whole vectors).
    for (const [x, w, groups] of [[[2, 6, 6, 8], [8, 3, 3, 1], 8], [[2, 5, 7, 5], [10, 3, 3, 1], 5], [[2, 6, 5, 6], [10, 3, 3, 3], 2], [[2, 8, 8, 32], [32, 3, 3, 8], 4]] as const) {
      const attrs = { strides: [1, 1], padding: 'same', dilation: [1, 1], groups };
      const [xs, ws, ys] = [[...x], [...w], [x[0], x[1], x[2], w[0]]];
      const [plainY, placedY] = bothWays(grouped, [{ shape: xs, data: random(size(xs), 11) }, { shape: ws, data: random(size(ws), 12) }], [ys], attrs);
      expect(placedY).toEqual(plainY);
      const [plainDx, placedDx] = bothWays(groupedConvGradInputSimd, [{ shape: ys, data: random(size(ys), 13) }, { shape: ws, data: random(size(ws), 12) }], [xs], attrs);
      expect(placedDx).toEqual(plainDx);
      const [plainDw, placedDw] = bothWays(groupedConvGradWeightSimd, [{ shape: ys, data: random(size(ys), 13) }, { shape: xs, data: random(size(xs), 11) }], [ws], attrs);
      expect(placedDw).toEqual(plainDw);
    }
    // A strided depthwise input gradient, by stride phases written where dx lies (rows of 8 channels).
    const dwStrided = { strides: [2, 2], padding: 'same', dilation: [1, 1], groups: 8 };
    const [plainDwDx, placedDwDx] = bothWays(groupedConvGradInputSimd, [{ shape: [2, 4, 3, 8], data: random(192, 18) }, { shape: [8, 3, 3, 1], data: random(72, 19) }], [[2, 7, 6, 8]], dwStrided);
    expect(placedDwDx).toEqual(plainDwDx);
    // A stride-2 up-convolution: the input gradient one stride phase at a time.
    const up = { strides: [2, 2], padding: 'same', dilation: [1, 1] };
    const [plainUp, placedUp] = bothWays(convGradInputSimd, [{ shape: [2, 4, 5, 6], data: random(240, 14) }, { shape: [6, 4, 4, 8], data: random(768, 15) }], [[2, 8, 10, 8]], up);
    expect(placedUp).toEqual(plainUp);
    // groupnorm over per-sample blocks of rows.
    const gx = { shape: [2, 5, 3, 8], data: random(240, 16) };
    const gc = { shape: [8], data: random(8, 17) };
    const gnAttrs = { groups: 2, epsilon: 1e-5 };
    const [plainGn, placedGn] = bothWays(groupnormSimd, [gx, gc, gc], [gx.shape, [2, 2], [2, 2]], gnAttrs);
    expect(placedGn).toEqual(plainGn);
    const [plainGg, placedGg] = bothWays(groupnormGradSimd, [gx, gx, gc, { shape: [2, 2], data: plainGn[1]! }, { shape: [2, 2], data: plainGn[2]! }], [gx.shape, [8], [8]], gnAttrs);
    expect(placedGg).toEqual(plainGg);
  });

  it.runIf(module)('max and average pooling, batchnorm and sum_to in place give the bits of copies', () => {
    const attrs = { size: [2, 2], strides: [2, 2], padding: 'valid' };
    const x = { shape: [2, 6, 6, 8], data: random(576, 7) };
    const [plainY, placedY] = bothWays(maxpoolSimd, [x], [[2, 3, 3, 8]], attrs);
    expect(placedY).toEqual(plainY);
    const dy = { shape: [2, 3, 3, 8], data: random(144, 8) };
    const [plainDx, placedDx] = bothWays(maxpoolGradSimd, [dy, x], [[2, 6, 6, 8]], attrs);
    expect(placedDx).toEqual(plainDx);
    const [plainAvg, placedAvg] = bothWays(avgpoolSimd, [x], [[2, 3, 3, 8]], attrs);
    expect(placedAvg).toEqual(plainAvg);
    const [plainAvgDx, placedAvgDx] = bothWays(avgpoolGradSimd, [dy], [[2, 6, 6, 8]], { ...attrs, shape: [2, 6, 6, 8] });
    expect(placedAvgDx).toEqual(plainAvgDx);
    const [plainGlobal, placedGlobal] = bothWays(globalAvgPoolSimd, [x], [[2, 8]], {});
    expect(placedGlobal).toEqual(plainGlobal);
    const [plainGlobalDx, placedGlobalDx] = bothWays(globalAvgPoolGradSimd, [{ shape: [2, 8], data: random(16, 11) }], [[2, 6, 6, 8]], { shape: [2, 6, 6, 8] });
    expect(placedGlobalDx).toEqual(plainGlobalDx);
    const c = { shape: [8], data: random(8, 9) };
    const ones = { shape: [8], data: new Float32Array(8).fill(1) };
    const bnAttrs = { epsilon: 1e-5, momentum: 0.9 };
    const [plainBn, placedBn] = bothWays(batchnormSimd, [x, c, c, { shape: [8], data: new Float32Array(8) }, ones], [x.shape, [8], [8]], bnAttrs);
    expect(placedBn).toEqual(plainBn);
    const [plainBg, placedBg] = bothWays(batchnormGradSimd, [x, x, c, c, ones], [x.shape, [8], [8]], bnAttrs);
    expect(placedBg).toEqual(plainBg);
    const [plainSum, placedSum] = bothWays(sumToSimd, [{ shape: [72, 8], data: random(576, 10) }], [[8]], {});
    expect(placedSum).toEqual(plainSum);
  });

  it.runIf(module)('softmax, log-softmax, their gradients and the sparse softmax cross-entropy in place give the bits of copies', () => {
    for (const shape of [[12, 10], [5, 32]]) {
      const x = { shape, data: random(size(shape), 18) };
      const dy = { shape, data: random(size(shape), 19) };
      for (const name of ['softmax', 'log_softmax'] as const) {
        const [plainY, placedY] = bothWays(softmaxSimdKernels[name], [x], [shape], {});
        expect(placedY).toEqual(plainY);
        const grad = softmaxSimdKernels[`${name}_grad`];
        const [plainDx, placedDx] = bothWays(grad, [dy, { shape, data: plainY[0]! }], [shape], {});
        expect(placedDx).toEqual(plainDx);
      }
      // Labels are read by JS where they lie: an Int32Array outside the memory.
      const labels = Int32Array.from({ length: shape[0]! }, (_, r) => r % shape[1]!);
      const loss: CpuKernel = (c, i, o, a) => softmaxSimdKernels.sparse_softmax_cross_entropy_loss(c, [i[0]!, { shape: [shape[0]!], data: labels }], o, a);
      const [plainLoss, placedLoss] = bothWays(loss, [x], [[], shape], {});
      expect(placedLoss).toEqual(plainLoss);
      const soft = { shape, data: random(size(shape), 20).map((v) => Math.abs(v) / shape[1]!) };
      const [plainDense, placedDense] = bothWays(softmaxSimdKernels.softmax_cross_entropy_loss, [x, soft], [[], shape], {});
      expect(placedDense).toEqual(plainDense);
    }
  });

  it.runIf(module)('layernorm and its gradient in place give the bits of copies', () => {
    const x = { shape: [6, 5, 16], data: random(480, 22) };
    const c = { shape: [16], data: random(16, 23) };
    const attrs = { epsilon: 1e-5 };
    const [plain, placed] = bothWays(layernormSimd, [x, c, c], [x.shape, [6, 5, 1], [6, 5, 1]], attrs);
    expect(placed).toEqual(plain);
    const stats = (data: Float32Array) => ({ shape: [6, 5, 1], data });
    const [plainGrad, placedGrad] = bothWays(layernormGradSimd, [{ shape: x.shape, data: random(480, 24) }, x, c, stats(plain[1]!), stats(plain[2]!)], [x.shape, [16], [16]], {});
    expect(placedGrad).toEqual(plainGrad);
  });

  it.runIf(module)('the per-element losses in place give the bits of copies', () => {
    for (const n of [1000, 1001]) {
      const p = { shape: [n], data: random(n, 25).map((v) => v * 0.4 + 0.5) };
      const target = { shape: [n], data: random(n, 26).map((v) => v * 0.5 + 0.5) };
      for (const kernel of Object.values(lossSimdKernels)) {
        const [plain, placed] = bothWays(kernel, [p, target], [[1], [n]], { delta: 0.3 });
        expect(placed).toEqual(plain);
      }
    }
  });

  it.runIf(module)('gelu, silu, softplus and their gradients in place give the bits of copies', () => {
    // 1,000 values: a multiple of 4, in place; 1,001: padded copies in scratch.
    for (const n of [1000, 1001]) {
      const x = { shape: [n], data: random(n, 20).map((v) => v * 6) };
      const dy = { shape: [n], data: random(n, 21) };
      for (const name of ['gelu', 'silu', 'softplus'] as const) {
        const [plainY, placedY] = bothWays(activationSimdKernels[name], [x], [[n]], {});
        expect(placedY).toEqual(plainY);
        const [plainDx, placedDx] = bothWays(activationSimdKernels[`${name}_grad`], [dy, name === 'softplus' ? { shape: [n], data: plainY[0]! } : x], [[n]], {});
        expect(placedDx).toEqual(plainDx);
      }
    }
  });
});

describe('optimizer updates in the kernels memory', () => {
  it.runIf(tensorHeap())('adam with the parameter, slots and gradient there gives the bits of its own memory', () => {
    const n = 1003;
    const run = (heap: ReturnType<typeof tensorHeap>): Float32Array[] => {
      const stored = createStoredMemory([n, n, n], n, heap, {})!;
      const [p, m, v] = [stored.allocate(n), stored.allocate(n), stored.allocate(n)];
      p.set(random(n, 12));
      const grad = heap ? (heap.view('f32', heap.allocate(n * 4), n) as Float32Array) : new Float32Array(n);
      for (let step = 1; step <= 3; step++) {
        grad.set(random(n, 13 + step));
        const tensors = [p, grad, m, v].map((data) => ({ shape: [n], data }));
        optimizerKernels.adam_update!({ training: true, lr: 0.01, step, seed: 0 }, tensors, [], { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
      }
      if (heap) expect(addressIn(heap.memory, p)).not.toBeNull();
      return [p, m, v].map((t) => t.slice());
    };
    expect(run(tensorHeap())).toEqual(run(null));
  });
});

describe('an executor on the kernels memory', () => {
  it.runIf(tensorHeap())('places its activations, gradients and float inputs there, and frees them on dispose', async () => {
    const source = `
model M {
  input x: [batch, 12]
  input label: [batch] int
  h = dense(x, 16, relu)
  logits = dense(h, 4)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer sgd(lr: 0.1)
    batch 8
    seed 1
  }
}`;
    const result = compileModel(checkSource(source), 'M', { target: 'cpu', fuse: true, training: true, text: source });
    expect(result.diagnostics).toEqual([]);
    const plan = result.plan!;
    const weights = new Map([...result.weights].map(([name, data]) => [name, { shape: plan.tensors.find((t) => t.name === name)!.shape as number[], dtype: 'f32' as const, data }]));
    const executor = new CpuExecutor(plan, weights);
    const heap = tensorHeap()!;
    const feeds = { x: { shape: [8, 12], dtype: 'f32' as const, data: random(96, 11) }, label: { shape: [8], dtype: 'i32' as const, data: Int32Array.from({ length: 8 }, (_, i) => i % 4) } };
    const { loss } = await executor.trainStep(feeds, { lr: 0.1, seed: 1 });
    expect(Number.isFinite(loss)).toBe(true);
    // The bound tensors: x [8, 12], h and its gradient [8, 16], logits [8, 4], ... in one block.
    const held = heap.usedBytes();
    executor.dispose();
    expect(held - heap.usedBytes()).toBeGreaterThanOrEqual((8 * 12 + 8 * 16 + 8 * 4) * 4);
    // The same model again, then the same step: the same loss (nothing stale read from the freed block).
    const again = new CpuExecutor(plan, weights);
    expect((await again.trainStep(feeds, { lr: 0.1, seed: 1 })).loss).toBe(loss);
    again.dispose();
  });
});
