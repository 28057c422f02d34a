import type * as Ort from 'onnxruntime-web';
import { toOnnxModel } from '../export/onnx.js';
import { encodeModel } from '../export/onnx-model.js';
import type { Plan } from '../plan/format.js';
import type { HostTensor } from '../tensor.js';
import { VerifyError } from './errors.js';
import type { Tracer } from './verify.js';

/**
 * The ONNX target: the model as `nnet export --format onnx` writes it, with every layer's value made
 * a graph output too (the export's `intermediates`: it names each step's value after its plan tensor), run in onnxruntime-web
 * (WebAssembly, one thread). onnxruntime-web is loaded only here and only when asked for, so the rest of
 * nnet runs without it; where it is not installed the target is refused with NNR7201.
 */
export async function onnxTracer(plan: Plan, weights: ReadonlyMap<string, HostTensor>): Promise<{ trace: Tracer; runtime: string }> {
  const ort = await loadOnnxRuntime();
  // Every layer's value the exported graph computes under its plan name becomes an output too.
  const produced = new Set(toOnnxModel(plan, weights).nodes.flatMap((n) => n.outputs));
  const exposed = [...new Set(plan.forward.map((step) => step.outputs[0]!).filter((name) => produced.has(name)))];
  const model = toOnnxModel(plan, weights, { intermediates: exposed });
  const outputNames = new Set(model.outputs.map((o) => o.name));
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
