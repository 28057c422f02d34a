import type { Plan, PlanStep, PlanTensor } from '../plan/format.js';
import { activationAlpha, activationAlphaDefault, isActivation, type ActivationName } from '../plan/activations.js';
import { parseKernelName } from '../plan/kernels.js';
import type { HostTensor } from '../tensor.js';
import { encodeModel, ONNX_FLOAT, ONNX_INT32, ONNX_INT64, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnx-model.js';

/**
 * Exports the inference part of a plan (its forward steps) and its weights as an ONNX model
 * (opset 13), for onnxruntime, Netron and other tools. Covers dense networks: matmul (Gemm when the
 * input is a matrix), bias, the elementwise activations, softmax, add/sub/mul, reshape/flatten,
 * copy and dropout (identity at inference). Any other kernel is refused with NNR7001 naming the step.
 * Works from the plan alone, so it sits in the runtime and never needs the compiler.
 */
export class ExportError extends Error {
  readonly code = 'NNR7001';
  format(): string {
    return `error ${this.code}: ${this.message}`;
  }
}

const OPSET = 13;

/** Activations with a one-to-one ONNX operator (alpha attributes carried over). */
const ACTIVATIONS: Partial<Record<ActivationName, string>> = {
  relu: 'Relu',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  softplus: 'Softplus',
  leaky_relu: 'LeakyRelu',
  elu: 'Elu',
  linear: 'Identity',
};

export function exportOnnx(plan: Plan, weights: ReadonlyMap<string, HostTensor>): Uint8Array {
  return encodeModel(toOnnxModel(plan, weights));
}

export function toOnnxModel(plan: Plan, weights: ReadonlyMap<string, HostTensor>): OnnxModel {
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const used = new Set<string>();
  const fresh = (base: string): string => {
    let name = base;
    for (let k = 2; used.has(name) || byName.has(name); k++) name = `${base}#${k}`;
    used.add(name);
    return name;
  };
  const ctx = { nodes, initializers, fresh, byName };

  plan.forward.forEach((step, index) => lowerStep(step, index, ctx));

  const referenced = new Set(plan.forward.flatMap((s) => s.inputs));
  for (const tensor of plan.tensors) {
    if ((tensor.role === 'param' || tensor.role === 'state' || tensor.role === 'const') && referenced.has(tensor.name)) {
      const value = weights.get(tensor.name);
      if (!value) throw new ExportError(`weight '${tensor.name}' is missing`);
      initializers.push(tensorProto(tensor.name, concreteShape(tensor, value), value));
    }
  }
  const inputs = plan.inputs.filter((n) => !plan.labels.includes(n)).map((n) => valueInfo(byName.get(n)!, n));
  const outputs = plan.outputs.map((o) => {
    // ONNX outputs are named after the model's outputs: rename the producing tensor with an Identity.
    nodes.push({ opType: 'Identity', name: `output ${o.name}`, inputs: [o.tensor], outputs: [o.name] });
    return valueInfo(byName.get(o.tensor)!, o.name);
  });
  return { opset: OPSET, producer: 'nnet', graphName: plan.model, nodes, initializers, inputs, outputs };
}

interface LowerContext {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  fresh: (base: string) => string;
  byName: Map<string, PlanTensor>;
}

function lowerStep(step: PlanStep, index: number, ctx: LowerContext): void {
  const { base, epilogue } = parseKernelName(step.kernel);
  const where = `step ${index + 1} (${step.kernel}${step.source ? ` of ${step.source.op} '${step.source.layer}' at line ${step.source.line}` : ''})`;
  const out = step.outputs[0]!;
  const name = `${step.source?.layer ?? 'step'}/${index + 1}`;
  const push = (node: Omit<OnnxNode, 'name'>): void => {
    ctx.nodes.push({ name: `${name}/${node.opType}`, ...node });
  };
  // Each stage writes to a fresh intermediate, the last one to the step's output.
  const stages = [base, ...epilogue];
  let current = '';
  stages.forEach((stage, i) => {
    const target = i === stages.length - 1 ? out : ctx.fresh(`${out}:${stage}`);
    if (i === 0) {
      lowerBase(stage, step, target, where, ctx, push);
    } else if (stage === 'bias') {
      // Only kernels with two operands (matmul, conv) take epilogues: the bias is the third input.
      push({ opType: 'Add', inputs: [current, step.inputs[2]!], outputs: [target] });
    } else {
      lowerActivation(stage, step, current, target, where, push);
    }
    current = target;
  });
}

function lowerBase(
  base: string,
  step: PlanStep,
  target: string,
  where: string,
  ctx: LowerContext,
  push: (node: Omit<OnnxNode, 'name'>) => void,
): void {
  const [a, b] = step.inputs;
  switch (base) {
    case 'matmul': {
      const rankA = ctx.byName.get(a!)?.shape.length ?? 2;
      const transA = step.attrs.transA === true;
      const transB = step.attrs.transB === true;
      if (rankA === 2) {
        push({
          opType: 'Gemm',
          inputs: [a!, b!],
          outputs: [target],
          attributes: [
            { name: 'transA', kind: 'int', value: transA ? 1 : 0 },
            { name: 'transB', kind: 'int', value: transB ? 1 : 0 },
          ],
        });
        return;
      }
      if (transA) throw new ExportError(`${where}: a transposed batched matmul has no ONNX export yet`);
      let right = b!;
      if (transB) {
        right = ctx.fresh(`${b}:T`);
        push({ opType: 'Transpose', inputs: [b!], outputs: [right], attributes: [{ name: 'perm', kind: 'ints', value: [1, 0] }] });
      }
      push({ opType: 'MatMul', inputs: [a!, right], outputs: [target] });
      return;
    }
    case 'bias_add':
    case 'add':
      push({ opType: 'Add', inputs: [a!, b!], outputs: [target] });
      return;
    case 'sub':
      push({ opType: 'Sub', inputs: [a!, b!], outputs: [target] });
      return;
    case 'mul':
      push({ opType: 'Mul', inputs: [a!, b!], outputs: [target] });
      return;
    case 'softmax':
      push({ opType: 'Softmax', inputs: [a!], outputs: [target], attributes: [{ name: 'axis', kind: 'int', value: -1 }] });
      return;
    case 'log_softmax':
      push({ opType: 'LogSoftmax', inputs: [a!], outputs: [target], attributes: [{ name: 'axis', kind: 'int', value: -1 }] });
      return;
    case 'copy':
    case 'dropout':
      push({ opType: 'Identity', inputs: [a!], outputs: [target] });
      return;
    case 'reshape': {
      const dims = (step.attrs.shape as Array<number | string>).map((d) => (typeof d === 'number' ? d : -1));
      if (dims.filter((d) => d === -1).length > 1) throw new ExportError(`${where}: a reshape with several symbolic dims has no ONNX export`);
      const shapeName = ctx.fresh(`${target}:shape`);
      ctx.initializers.push({ name: shapeName, dims: [dims.length], dataType: ONNX_INT64, raw: new Uint8Array(BigInt64Array.from(dims.map(BigInt)).buffer) });
      push({ opType: 'Reshape', inputs: [a!, shapeName], outputs: [target] });
      return;
    }
    default:
      if (Object.hasOwn(ACTIVATIONS, base) || base === 'silu') {
        lowerActivation(base, step, a!, target, where, push);
        return;
      }
      throw new ExportError(`${where}: kernel '${base}' has no ONNX export yet (supported: dense layers, activations, softmax, add/sub/mul, reshape, dropout)`);
  }
}

function lowerActivation(kind: string, step: PlanStep, input: string, target: string, where: string, push: (node: Omit<OnnxNode, 'name'>) => void): void {
  if (kind === 'silu') {
    const gate = `${target}:sigmoid`;
    push({ opType: 'Sigmoid', inputs: [input], outputs: [gate] });
    push({ opType: 'Mul', inputs: [input, gate], outputs: [target] });
    return;
  }
  const op = isActivation(kind) ? ACTIVATIONS[kind] : undefined;
  if (!op) throw new ExportError(`${where}: activation '${kind}' has no ONNX export yet`);
  const attributes =
    activationAlphaDefault(kind) !== undefined
      ? [{ name: 'alpha', kind: 'float' as const, value: activationAlpha(kind, step.attrs) }]
      : [];
  push({ opType: op, inputs: [input], outputs: [target], attributes });
}

function concreteShape(tensor: PlanTensor, value: HostTensor): number[] {
  return tensor.shape.every((d) => typeof d === 'number') ? (tensor.shape as number[]) : value.shape;
}

function tensorProto(name: string, dims: number[], value: HostTensor): OnnxTensor {
  const data = value.dtype === 'f32' ? Float32Array.from(value.data) : Int32Array.from(value.data);
  return { name, dims, dataType: value.dtype === 'f32' ? ONNX_FLOAT : ONNX_INT32, raw: new Uint8Array(data.buffer) };
}

function valueInfo(tensor: PlanTensor, name: string): { name: string; elemType: number; shape: Array<number | string> } {
  return { name, elemType: tensor.dtype === 'f32' ? ONNX_FLOAT : ONNX_INT32, shape: tensor.shape.map((d) => (typeof d === 'number' ? d : d.replace(/[^A-Za-z0-9_]/g, '_'))) };
}
