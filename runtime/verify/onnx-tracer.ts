import type * as Ort from 'onnxruntime-web';
import { toOnnxModel } from '../export/onnx.js';
import { encodeModel, ONNX_FLOAT, ONNX_INT32 } from '../export/onnx-model.js';
import type { Plan } from '../plan/format.js';
import type { HostTensor } from '../tensor.js';
import { VerifyError } from './errors.js';
import type { Tracer } from './verify.js';

/**
 * The ONNX target: the model as `nnet export --format onnx` writes it, with every layer's value made
 * a graph output too (the export names each step's value after its plan tensor), run in onnxruntime-web
 * (WebAssembly, one thread). onnxruntime-web is loaded only here and only when asked for, so the rest of
 * nnet runs without it; where it is not installed the target is refused with NNR7201.
 */
export async function onnxTracer(plan: Plan, weights: ReadonlyMap<string, HostTensor>): Promise<{ trace: Tracer; runtime: string }> {
  const ort = await loadOnnxRuntime();
  const model = toOnnxModel(plan, weights);
  const outputNames = new Set(model.outputs.map((o) => o.name));
  const produced = new Set(model.nodes.flatMap((n) => n.outputs));
  const tensors = new Map(plan.tensors.map((t) => [t.name, t]));
  const exposed: string[] = [];
  for (const step of plan.forward) {
    const name = step.outputs[0];
    const t = name !== undefined ? tensors.get(name) : undefined;
    if (!t || !produced.has(t.name) || outputNames.has(t.name)) continue;
    model.outputs.push({ name: t.name, elemType: t.dtype === 'f32' ? ONNX_FLOAT : ONNX_INT32, shape: t.shape.map((d) => (typeof d === 'number' ? d : d.replace(/[^A-Za-z0-9_]/g, '_'))) });
    outputNames.add(t.name);
    exposed.push(t.name);
  }
  const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  const trace: Tracer = async (inputs, names) => {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[name] = new ort.Tensor(t.dtype === 'f32' ? 'float32' : 'int32', t.data, t.shape);
    const wanted = names.filter((n) => outputNames.has(n));
    const results = await session.run(feeds, wanted);
    const read = new Map<string, HostTensor>();
    for (const name of wanted) {
      const value = results[name];
      if (!value) continue;
      const data = value.data;
      if (data instanceof Float32Array) read.set(name, { shape: [...value.dims], dtype: 'f32', data });
      else if (data instanceof Int32Array) read.set(name, { shape: [...value.dims], dtype: 'i32', data });
    }
    return read;
  };
  return { trace, runtime: `onnxruntime-web ${ort.env.versions.web ?? ''}`.trim() };
}

async function loadOnnxRuntime(): Promise<typeof Ort> {
  try {
    return await import('onnxruntime-web');
  } catch (error) {
    throw new VerifyError('NNR7201', `--against onnx runs the model in onnxruntime-web, which is not installed here (${(error as Error).message.split('\n')[0]}); install it with \`npm install onnxruntime-web\``);
  }
}
