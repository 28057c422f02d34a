import { activationAlpha, isActivation } from '../plan/activations.js';
import type { Plan, PlanDim, PlanStep, PlanTensor } from '../plan/format.js';
import { kernelSpec, parseKernelName, POOL_EPILOGUE } from '../plan/kernels.js';
import type { HostTensor } from '../tensor.js';
import { ONNX_ACTIVATIONS } from './onnx-activations.js';
import { dimValues } from './onnx-dims.js';
import { OnnxGraph } from './onnx-graph.js';
import { encodeModel, ONNX_FLOAT, ONNX_INT32, type OnnxModel, type OnnxTensor, type OnnxValueInfo } from './onnx-model.js';
import { ONNX_OPS } from './onnx-ops.js';
import { pooledEpilogue } from './onnx-spatial.js';
import { ExportError, type StepExport } from './onnx-step.js';

export { ExportError };

/**
 * Exports the inference part of a plan (its forward steps) and its weights as an ONNX model, opset
 * 17, for onnxruntime, Netron and other tools. Each kernel's mapping is one entry of ONNX_OPS
 * (runtime/export/onnx-ops.ts); a kernel it refuses ends in NNR7001 naming the step. The
 * initializers are nnet's weights byte for byte, under their own names; layout changes are nodes.
 * Works from the plan alone, so it sits in the runtime and never needs the compiler.
 */
export const ONNX_OPSET = 17;

export interface OnnxExportOptions {
  /** The model's doc string (the file's comment above the model, say). */
  docString?: string;
  /** Plan tensors to expose as extra graph outputs under their own names (`nnet verify --against onnx`). */
  intermediates?: readonly string[];
  producerVersion?: string;
}

export function exportOnnx(plan: Plan, weights: ReadonlyMap<string, HostTensor>, options: OnnxExportOptions = {}): Uint8Array {
  return encodeModel(toOnnxModel(plan, weights, options));
}

export function toOnnxModel(plan: Plan, weights: ReadonlyMap<string, HostTensor>, options: OnnxExportOptions = {}): OnnxModel {
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const graph = new OnnxGraph([...byName.keys(), ...plan.outputs.map((o) => o.name)]);
  const inputs = plan.inputs.filter((n) => !plan.labels.includes(n)).map((n) => valueInfo(byName.get(n)!, n));
  const dim = dimValues(graph, inputs.map((i) => ({ name: i.name, shape: byName.get(i.name)!.shape })));
  const producers = new Map<string, PlanStep>();
  plan.forward.forEach((step, index) => {
    exportStep(step, index, { graph, byName, producers, dim });
    for (const out of step.outputs) producers.set(out, step);
  });

  for (const tensor of plan.tensors) {
    if (tensor.role === 'param' || tensor.role === 'state' || tensor.role === 'const') {
      const value = weights.get(tensor.name);
      if (value) graph.initializer(tensorProto(tensor.name, concreteShape(tensor, value), value));
    }
  }
  const outputs = plan.outputs.map((o) => {
    // ONNX outputs are named after the model's outputs: an Identity renames the tensor that holds
    // one, unless it already has the name (`output x` of an input x, or a value named like its output).
    if (o.tensor !== o.name) graph.add('Identity', [o.tensor], { outputs: [o.name], name: `output ${o.name}` });
    return valueInfo(byName.get(o.tensor)!, o.name);
  });
  for (const name of options.intermediates ?? []) {
    const tensor = byName.get(name);
    if (!tensor) throw new ExportError(`no tensor '${name}' in the plan of ${plan.model} to expose as an output`);
    if (!outputs.some((o) => o.name === name)) outputs.push(valueInfo(tensor, name));
  }
  graph.prune(new Set(outputs.map((o) => o.name)));
  checkDefined(graph, inputs, plan);
  return {
    opset: ONNX_OPSET,
    producer: 'nnet',
    producerVersion: options.producerVersion ?? '',
    ...(options.docString ? { docString: options.docString } : {}),
    graphName: plan.model,
    nodes: graph.nodes,
    initializers: graph.initializers,
    inputs,
    outputs,
  };
}

interface ExportContext {
  graph: OnnxGraph;
  byName: Map<string, PlanTensor>;
  producers: Map<string, PlanStep>;
  dim: (value: PlanDim, where: () => string) => string;
}

/** One plan step: its base kernel by its ONNX_OPS entry, then the fused epilogue (bias, activations, the pool) as plain ops. */
function exportStep(step: PlanStep, index: number, ctx: ExportContext): void {
  const { base, epilogue } = parseKernelName(step.kernel);
  const where = `step ${index + 1} (${step.kernel}${step.source ? ` of ${step.source.op} '${step.source.layer}' at line ${step.source.line}` : ''})`;
  const label = step.source?.layer ?? `step ${index + 1}`;
  const rule = Object.hasOwn(ONNX_OPS, base) ? ONNX_OPS[base as keyof typeof ONNX_OPS] : undefined;
  if (!rule) throw new ExportError(`${where}: kernel '${base}' has no ONNX export (it is not an inference kernel)`);
  if (typeof rule !== 'function') throw new ExportError(`${where}: kernel '${base}' has no ONNX export: ${rule.refused}`);
  const arity = kernelSpec(base)?.inputs.length ?? step.inputs.length;
  const bias = epilogue.includes('bias') ? step.inputs[arity] : undefined;
  const activations = epilogue.filter((e) => e !== 'bias');
  let biasFolded = false;
  // The base kernel's output is the step's output unless an epilogue stage follows it.
  const baseOutput = (foldsBias: boolean): string => {
    biasFolded = foldsBias;
    const rest = activations.length + (bias !== undefined && !foldsBias ? 1 : 0);
    return rest === 0 ? step.outputs[0]! : ctx.graph.fresh(`${step.outputs[0]}:${base}`);
  };
  let y: string | undefined;
  const s: StepExport = {
    step,
    attrs: step.attrs,
    graph: ctx.graph,
    bias,
    input: (i) => {
      const name = step.inputs[i];
      if (name === undefined) throw new ExportError(`${where}: kernel '${base}' has no input ${i}`);
      return name;
    },
    out: (i, foldsBias = false) => {
      if (i === 0) return (y ??= baseOutput(foldsBias));
      // `pre` of an epilogue kernel is the value before its activation: named below.
      return kernelSpec(base)?.epilogue ? undefined : step.outputs[i];
    },
    shape: (name) => ctx.byName.get(name)?.shape,
    producer: (name) => ctx.producers.get(name),
    op: (opType, inputs, options = {}) => ctx.graph.add(opType, inputs, { name: label, ...options })[0]!,
    ints: (values, dims) => ctx.graph.int64s(`${label}:ints`, values, dims),
    floats: (values, dims) => ctx.graph.floats(`${label}:floats`, values, dims),
    dim: (value) => ctx.dim(value, () => where),
    refuse: (reason) => {
      throw new ExportError(`${where}: kernel '${base}' has no ONNX export: ${reason}`);
    },
    expect: (names, inputs) => {
      const epilogueAttr = (a: string): boolean => (a === 'alpha' && activations.length > 0) || (a === 'pool' && epilogue.includes(POOL_EPILOGUE));
      const unread = Object.keys(step.attrs).filter((a) => !names.includes(a) && !epilogueAttr(a));
      if (unread.length > 0) s.refuse(`its attribute${unread.length > 1 ? 's' : ''} ${unread.map((a) => `'${a}'`).join(', ')} ${unread.length > 1 ? 'are' : 'is'} not exported yet`);
      if (inputs !== undefined && step.inputs.length > inputs + (bias !== undefined ? 1 : 0)) s.refuse(`its input ${inputs + 1} (${step.inputs[inputs]}) is not exported yet`);
    },
  };
  rule(s);
  if (y === undefined) throw new ExportError(`${where}: the ONNX mapping of kernel '${base}' wrote no output`);
  let current = y;
  const stages = [...(bias !== undefined && !biasFolded ? ['bias'] : []), ...activations];
  stages.forEach((stage, i) => {
    const last = i === stages.length - 1;
    // The optional `pre` output keeps the value before the first activation.
    const target = last ? step.outputs[0]! : stage === 'bias' && activations.length > 0 && step.outputs[1] ? step.outputs[1] : ctx.graph.fresh(`${step.outputs[0]}:${stage}`);
    if (stage === 'bias') s.op('Add', [current, bias!], { outputs: [target] });
    else if (isActivation(stage)) ONNX_ACTIVATIONS[stage](s, current, target, activationAlpha(stage, step.attrs));
    else if (stage === POOL_EPILOGUE) pooledEpilogue(s, current, target, step.attrs.pool as number[]);
    else throw new ExportError(`${where}: epilogue element '${stage}' has no ONNX export`);
    current = target;
  });
}

/** Every value a node reads is a graph input, an initializer or an earlier node's output. */
function checkDefined(graph: OnnxGraph, inputs: OnnxValueInfo[], plan: Plan): void {
  const defined = new Set([...inputs.map((i) => i.name), ...graph.initializers.map((t) => t.name)]);
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (input !== '' && !defined.has(input)) throw new ExportError(`${node.name} reads '${input}', which nothing in the exported graph of ${plan.model} computes (a weight missing from the weights?)`);
    }
    for (const output of node.outputs) defined.add(output);
  }
}

function concreteShape(tensor: PlanTensor, value: HostTensor): number[] {
  return tensor.shape.every((d) => typeof d === 'number') ? (tensor.shape as number[]) : value.shape;
}

function tensorProto(name: string, dims: number[], value: HostTensor): OnnxTensor {
  const data = value.dtype === 'f32' ? Float32Array.from(value.data) : Int32Array.from(value.data);
  return { name, dims, dataType: value.dtype === 'f32' ? ONNX_FLOAT : ONNX_INT32, raw: new Uint8Array(data.buffer) };
}

/** A symbolic dim keeps its name (`batch`, `seq`); an expression (`seq-2`) is left unnamed, as ONNX has no dim arithmetic. */
function valueInfo(tensor: PlanTensor, name: string): OnnxValueInfo {
  const shape = tensor.shape.map((d) => (typeof d === 'number' ? d : /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? d : null));
  return { name, elemType: tensor.dtype === 'f32' ? ONNX_FLOAT : ONNX_INT32, shape };
}
