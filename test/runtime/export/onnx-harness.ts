import * as ort from 'onnxruntime-web';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { exportOnnx, type OnnxExportOptions } from '../../../runtime/export/onnx.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { ONNX_OPS } from '../../../runtime/export/onnx-ops.js';
import { parseKernelName } from '../../../runtime/plan/kernels.js';
import { OP_CASES } from '../webgpu/op-cases.js';
import { SEQUENCE_LENGTH } from './random-models.js';
import { mulberry32 } from '../../../runtime/plan/random.js';

/**
 * Compiles a model, exports it, runs the ONNX file in onnxruntime (the wasm build in Node: the
 * root package's oracle, offline) and nnet's CPU executor on the same seeded inputs, and reports the
 * largest difference over every output.
 */
export interface Compiled {
  plan: Plan;
  weights: Map<string, HostTensor>;
}

/** `path`: the .nnet file, which `load("...")` weights are relative to. */
export function compiled(source: string, options: { model?: string; fuse?: boolean; seed?: number; path?: string } = {}): Compiled {
  const check = checkSource(source, options.path ? { path: options.path } : {});
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const name = options.model ?? check.models.at(-1)!.name;
  const result = compileModel(check, name, { target: 'cpu', fuse: options.fuse ?? true, training: false, text: source, seed: options.seed ?? 5, ...(options.path ? { path: options.path } : {}) });
  if (!result.plan) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const weights = new Map<string, HostTensor>();
  for (const [tensorName, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === tensorName)!;
    weights.set(tensorName, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return { plan: result.plan, weights };
}

/** Sizes for the symbolic dims: batch 3, seq as the random models expect, any other 7 (odd, so windows and strides meet remainders). */
const DIM_VALUES: Record<string, number> = { batch: 3, seq: SEQUENCE_LENGTH };

/** Seeded feeds for every (non-label) input: floats in [−2, 2], ids below the smallest table they index. */
function feedsFor(plan: Plan, seed: number): Record<string, HostTensor> {
  const random = mulberry32(seed);
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const feeds: Record<string, HostTensor> = {};
  for (const name of plan.inputs.filter((n) => !plan.labels.includes(n))) {
    const tensor = byName.get(name)!;
    const shape = tensor.shape.map((d) => (typeof d === 'number' ? d : (DIM_VALUES[d] ?? 7)));
    const size = shape.reduce((a, b) => a * b, 1);
    if (tensor.dtype === 'i32') {
      const tables = plan.forward.filter((s) => s.kernel === 'embedding' && s.inputs[0] === name).map((s) => byName.get(s.inputs[1]!)!.shape[0] as number);
      const vocab = Math.min(...tables, 1 << 20);
      feeds[name] = { shape, dtype: 'i32', data: Int32Array.from({ length: size }, () => Math.floor(random() * vocab)) };
    } else {
      feeds[name] = { shape, dtype: 'f32', data: Float32Array.from({ length: size }, () => random() * 4 - 2) };
    }
  }
  return feeds;
}

export interface Comparison {
  maxDiff: number;
  outputs: number;
  bytes: Uint8Array;
}

/** Exports `model` and compares onnxruntime with nnet's CPU executor on seeded feeds (`given` ones as they are). */
export async function compareWithOnnxRuntime(model: Compiled, seed = 1, options: OnnxExportOptions = {}, given: Record<string, HostTensor> = {}): Promise<Comparison> {
  const { plan, weights } = model;
  const bytes = exportOnnx(plan, weights, options);
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const feeds = { ...feedsFor(plan, seed), ...given };
  const ours = await createCpuExecutor(plan, weights).infer(feeds);
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.dtype === 'i32' ? 'int32' : 'float32', t.data, t.shape);
  const theirs = await session.run(ortFeeds);
  let maxDiff = 0;
  for (const { name } of plan.outputs) {
    const a = ours[name]!;
    const b = theirs[name]!;
    if (b.dims.join(',') !== a.shape.join(',')) throw new Error(`output ${name}: onnxruntime shape [${b.dims.join(', ')}], nnet [${a.shape.join(', ')}]`);
    const data = b.data as Float32Array;
    for (let i = 0; i < a.data.length; i++) {
      const d = Math.abs(a.data[i]! - data[i]!);
      maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
    }
  }
  await session.release();
  return { maxDiff, outputs: plan.outputs.length, bytes };
}

/** The op cases (test/runtime/webgpu/op-cases.ts) of the kernels ONNX_OPS maps, run in inference mode. */
export const INFERENCE_CASES = OP_CASES.filter((c) => (c.mode ?? 'infer') === 'infer' && typeof ONNX_OPS[parseKernelName(c.kernel).base as keyof typeof ONNX_OPS] === 'function');

/**
 * The op cases the export refuses, with the reason it states: a strided write is exported where it
 * is zero padding (what the language's `pad` lowers to; the random models cover it); the op cases'
 * writes are the gradients of reads, scatters. A random sample drawn in inference cannot be nnet's.
 */
export const REFUSED: ReadonlyArray<readonly [name: RegExp, message: RegExp]> = [
  [/^strided_write /, /kernel 'strided_write' has no ONNX export: a strided write other than zero padding/],
  [/^random .*inference: true/, /a random sample drawn in inference \(inference: true\) has no ONNX export/],
];
