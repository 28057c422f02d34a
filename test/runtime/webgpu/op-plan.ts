import type { Plan, PlanAttr, PlanStep, PlanTensor } from '../../../runtime/plan/format.js';
import { kernelSpec } from '../../../runtime/plan/kernels.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import type { Gen, OpCase } from './op-cases.js';
import type { PlanTrainSettings } from '../../../runtime/plan/train-settings.js';

/**
 * Turns an op case into a one-step plan (target cpu; the WebGPU emitter adds programs) and its data.
 * Stored inputs (params, slots, running stats) go to `weights`; the others are fed as model inputs.
 * Training cases get a loss step (an l1/l2 penalty, which only makes the plan trainable) so that
 * `trainStep` runs the case's step in training mode or in the update phase.
 */
export interface OpPlan {
  plan: Plan;
  weights: Map<string, HostTensor>;
  feeds: Record<string, HostTensor>;
  stored: string[];
}

function generate(gen: Gen, shape: number[], dtype: 'f32' | 'i32', random: () => number): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  if (gen === 'lengths') {
    // A mask of padded rows [N, T]: 1 over a random length in [1, T], then 0.
    const steps = shape[shape.length - 1]!;
    const rows = Array.from({ length: size / steps }, () => 1 + Math.floor(random() * steps));
    const values = Array.from({ length: size }, (_, i) => (i % steps < rows[Math.floor(i / steps)]! ? 1 : 0));
    return dtype === 'i32' ? { shape, dtype, data: Int32Array.from(values) } : { shape, dtype, data: Float32Array.from(values) };
  }
  if (dtype === 'i32') {
    const [, n] = gen.split(':');
    return { shape, dtype, data: Int32Array.from({ length: size }, () => Math.floor(random() * Number(n))) };
  }
  let values: number[];
  switch (gen) {
    case 'positive': values = Array.from({ length: size }, () => 0.2 + random()); break;
    case 'unit': values = Array.from({ length: size }, () => 0.05 + 0.9 * random()); break;
    case 'mask': values = Array.from({ length: size }, () => (random() < 0.3 ? 0 : 1 / 0.7)); break;
    case 'rows': {
      const width = shape[shape.length - 1]!;
      values = Array.from({ length: size }, () => 0.1 + random());
      for (let r = 0; r < size / width; r++) {
        const sum = values.slice(r * width, (r + 1) * width).reduce((a, b) => a + b, 0);
        for (let j = 0; j < width; j++) values[r * width + j]! /= sum;
      }
      break;
    }
    default: values = Array.from({ length: size }, normal);
  }
  return { shape, dtype, data: Float32Array.from(values) };
}

/** Gradient kernels whose output shape the plan states in a `shape` attribute (kernels.ts). */
export function withShape(c: OpCase): Record<string, PlanAttr> {
  const attrs = { ...(c.attrs ?? {}) };
  if (kernelSpec(c.kernel.split('+')[0]!)?.attrs.shape && attrs.shape === undefined) attrs.shape = c.outputs[0]!;
  return attrs;
}

export function opPlan(c: OpCase, seed = 1): OpPlan {
  const random = mulberry32(seed);
  const tensors: PlanTensor[] = [];
  const weights = new Map<string, HostTensor>();
  const feeds: Record<string, HostTensor> = {};
  const stored: string[] = [];
  const inputs = c.inputs.map((spec, i) => {
    const name = `in${i}`;
    const dtype = spec.dtype ?? 'f32';
    const role = spec.role ?? 'input';
    tensors.push({ name, shape: spec.shape, dtype, role });
    const value = generate(spec.gen ?? (dtype === 'i32' ? 'labels:2' : 'normal'), spec.shape, dtype, random);
    if (role === 'input') feeds[name] = value;
    else {
      weights.set(name, value);
      stored.push(name);
    }
    return name;
  });
  const inPlace = c.mode === 'update';
  const outputs = inPlace ? [inputs[0]!, ...inputs.slice(2)] : c.outputs.map((shape, i) => {
    const name = `out${i}`;
    tensors.push({ name, shape, dtype: c.outputDtypes?.[i] ?? 'f32', role: 'activation' });
    return name;
  });
  const step: PlanStep = { kernel: c.kernel, inputs, outputs, attrs: withShape(c) };
  const training = c.mode === 'update' || c.mode === 'train-forward';
  const backward: PlanStep[] = [];
  if (training) {
    const penalized = c.mode === 'update' ? inputs[0]! : outputs[0]!;
    tensors.push({ name: 'loss', shape: [], dtype: 'f32', role: 'loss' });
    backward.push({ kernel: 'l1_l2_penalty', inputs: [penalized], outputs: ['loss'], attrs: { l1: 0, l2: 1 } });
  }
  const plan: Plan = {
    format: 'nnet-plan',
    version: 1,
    target: 'cpu',
    model: `op ${c.name}`,
    dims: {},
    tensors,
    inputs: inputs.filter((n) => feeds[n]),
    labels: [],
    outputs: inPlace ? [] : outputs.map((tensor) => ({ name: tensor, tensor })),
    forward: c.mode === 'update' ? [] : [step],
    backward,
    update: c.mode === 'update' ? [step] : [],
    // An op test runs one step and never reads the train settings, so it declares none.
    training: training ? { loss: 'loss', config: {} as PlanTrainSettings, lossSteps: 1 } : null,
    memory: null,
    programs: {},
    weights: null,
  };
  return { plan, weights, feeds, stored };
}
