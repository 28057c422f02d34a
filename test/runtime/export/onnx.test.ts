import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { ExportError, exportOnnx, toOnnxModel } from '../../../runtime/export/onnx.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';

function compiled(source: string, fuse: boolean): { plan: Plan; weights: Map<string, HostTensor> } {
  const check = checkSource(source);
  const model = check.models[0]!;
  const result = compileModel(check, model.name, { target: 'cpu', fuse, training: false, text: source, seed: 5 });
  if (!result.plan) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name)!;
    weights.set(name, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return { plan: result.plan, weights };
}

const MLP = `
model Mlp {
  input image: [batch, 6, 6]
  h = image |> flatten |> dense(16, relu) |> dropout(0.5)
  g = dense(h, 12, tanh)
  k = dense(g, 8, leaky_relu)
  s = add(k, dense(k, 8, sigmoid))
  logits = dense(s, 5)
  output probs = softmax(logits)
  output logits
}
`;

/** Runs the exported model in onnxruntime and nnet's CPU executor on the same batch. */
async function compare(source: string, fuse: boolean): Promise<number> {
  const { plan, weights } = compiled(source, fuse);
  const session = await ort.InferenceSession.create(exportOnnx(plan, weights), { intraOpNumThreads: 1 });
  const input = plan.inputs[0]!;
  const shape = [3, ...(plan.tensors.find((t) => t.name === input)!.shape.slice(1) as number[])];
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.37) * 1.5);
  const ours = await createCpuExecutor(plan, weights).infer({ [input]: { shape, dtype: 'f32', data } });
  const theirs = await session.run({ [input]: new ort.Tensor('float32', data, shape) });
  let maxDiff = 0;
  for (const { name } of plan.outputs) {
    const a = ours[name]!.data;
    const b = theirs[name]!.data as Float32Array;
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  }
  return maxDiff;
}

describe('ONNX export, checked by onnxruntime against nnet (tolerance 1e-5)', () => {
  it('dense, activations, dropout, add, softmax; fused plan', async () => {
    expect(await compare(MLP, true)).toBeLessThan(1e-5);
  });

  it('the same model from an unfused plan', async () => {
    expect(await compare(MLP, false)).toBeLessThan(1e-5);
  });

  it('the seed network gives its known output', async () => {
    const { readFileSync } = await import('node:fs');
    const { plan, weights } = compiled(readFileSync('examples/seed.nnet', 'utf8'), true);
    const session = await ort.InferenceSession.create(exportOnnx(plan, weights));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(0.7, -1.5, 0.2), [1, 3]) });
    const y = out.y!.data as Float32Array;
    expect(Math.abs(y[0]! - 0.60530524)).toBeLessThan(1e-6);
    expect(Math.abs(y[1]! - 0.65013656)).toBeLessThan(1e-6);
  });

  it('refuses a kernel that is not an inference kernel, naming the step and the kernel (NNR7001)', () => {
    const { plan, weights } = compiled(MLP, true);
    const broken: Plan = { ...plan, forward: [{ ...plan.forward[1]!, kernel: 'mse_loss' }, ...plan.forward.slice(2)] };
    expect(() => exportOnnx(broken, weights)).toThrow(ExportError);
    expect(() => exportOnnx(broken, weights)).toThrow(/step 1 \(mse_loss of dense .*kernel 'mse_loss' has no ONNX export/);
  });

  it("refuses what a mapping cannot express, saying why: 'same' padding, stride 2 and dilation 2 over a symbolic length", () => {
    const { plan, weights } = compiled('model C {\n  input x: [batch, seq, 3]\n  output y = conv1d(x, 2, 3, stride: 2, dilation: 2, padding: same)\n}\n', true);
    expect(() => exportOnnx(plan, weights)).toThrow(/kernel 'conv1d' has no ONNX export: 'same' padding with stride 2 and dilation 2 over the symbolic size 'seq'/);
  });

  it('refuses a step carrying an attribute its mapping does not read, rather than export it wrong', () => {
    const { plan, weights } = compiled('model G {\n  input x: [batch, seq, 3]\n  output y = gru(x, 4)\n}\n', true);
    const forward = plan.forward.map((s) => (s.kernel === 'gru_scan' ? { ...s, attrs: { ...s.attrs, reset_after: false } } : s));
    expect(() => exportOnnx({ ...plan, forward }, weights)).toThrow(/kernel 'gru_scan' has no ONNX export: its attribute 'reset_after' is not exported yet/);
  });

  it('a model whose output is its input exports one definition of it (onnxruntime rejected "Duplicate definition of name (x)")', async () => {
    const { plan, weights } = compiled('model M {\n  input x: [batch, 3]\n  y = dense(x, 2)\n  output x\n  output y\n}\n', true);
    const model = toOnnxModel(plan, weights);
    expect(model.nodes.flatMap((n) => n.outputs).filter((o) => o === 'x')).toEqual([]);
    const session = await ort.InferenceSession.create(exportOnnx(plan, weights));
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    const out = await session.run({ x: new ort.Tensor('float32', x, [2, 3]) });
    expect(Array.from(out.x!.data as Float32Array)).toEqual(Array.from(x));
    expect(out.y!.dims).toEqual([2, 2]);
  });

  it('states opset 17, the producer, the doc string and the symbolic dims; weights keep their names', () => {
    const { plan, weights } = compiled(MLP, true);
    const model = toOnnxModel(plan, weights, { docString: 'An MLP.', producerVersion: '0.1.0' });
    expect(model).toMatchObject({ opset: 17, producer: 'nnet', producerVersion: '0.1.0', docString: 'An MLP.', graphName: 'Mlp' });
    expect(model.inputs).toEqual([{ name: 'image', elemType: 1, shape: ['batch', 6, 6] }]);
    expect(model.outputs.map((o) => o.shape)).toEqual([['batch', 5], ['batch', 5]]);
    expect(model.initializers.map((t) => t.name).filter((n) => !n.includes(':'))).toEqual(plan.tensors.filter((t) => t.role === 'param').map((t) => t.name));
  });

  it('exposes named intermediate values as graph outputs (nnet verify --against onnx)', async () => {
    const { plan, weights } = compiled(MLP, true);
    const inner = plan.forward.slice(0, -1).map((s) => s.outputs[0]!);
    const session = await ort.InferenceSession.create(exportOnnx(plan, weights, { intermediates: inner }));
    expect(session.outputNames).toEqual([...plan.outputs.map((o) => o.name), ...inner]);
    const data = Float32Array.from({ length: 72 }, (_, i) => Math.cos(i));
    // The CPU plan's memory plan lets later steps reuse the buffers of values that are not outputs: without it, each keeps its own.
    const ours = await createCpuExecutor({ ...plan, memory: null, tensors: plan.tensors.map(({ buffer: _, ...t }) => t), outputs: inner.map((t) => ({ name: t, tensor: t })) }, weights).infer({ image: { shape: [2, 6, 6], dtype: 'f32', data } });
    const theirs = await session.run({ image: new ort.Tensor('float32', data, [2, 6, 6]) });
    for (const name of inner) {
      const a = ours[name]!.data;
      const b = theirs[name]!.data as Float32Array;
      expect(b.length).toBe(a.length);
      expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5);
    }
    expect(() => exportOnnx(plan, weights, { intermediates: ['nope'] })).toThrow(/no tensor 'nope' in the plan of Mlp/);
  });
});
