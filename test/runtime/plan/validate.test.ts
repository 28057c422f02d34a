import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { PlanError } from '../../../runtime/plan/errors.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { loadPlan, parsePlanJson } from '../../../runtime/plan/load.js';
import { serializePlan } from '../../../runtime/plan/serialize.js';
import { validatePlan } from '../../../runtime/plan/validate.js';
import { f32 } from '../../../runtime/tensor.js';
import { seedGraph, trainConfig } from '../../compiler/layer-graph.js';

function seedPlan(): { plan: Plan; weights: Map<string, Float32Array | Int32Array> } {
  const { plan, weights } = compileGraph(seedGraph().graph, 'Seed', null, { target: 'cpu', fuse: true, training: false });
  return { plan: plan!, weights };
}

function mutated(change: (doc: any) => void): unknown {
  const doc = JSON.parse(JSON.stringify(seedPlan().plan));
  change(doc);
  return doc;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).code + ' ' + (error as PlanError).message;
  }
  throw new Error('expected a PlanError');
}

describe('plan validation', () => {
  it('accepts compiled plans', () => {
    expect(() => validatePlan(JSON.parse(JSON.stringify(seedPlan().plan)))).not.toThrow();
  });

  const CASES: Array<[string, (doc: any) => void, RegExp]> = [
    ['wrong format', (d) => (d.format = 'onnx'), /^NNR1001/],
    ['future version', (d) => (d.version = 99), /^NNR1002 .*version 99 is not supported/],
    ['missing step list', (d) => delete d.forward, /^NNR1003 .*"forward" must be an array/],
    ['unknown kernel', (d) => (d.forward[0].kernel = 'evil_kernel'), /^NNR1005 .*forward step 0 .*unknown kernel 'evil_kernel'/],
    ['bad epilogue', (d) => (d.forward[0].kernel = 'matmul+bias+softmax'), /^NNR1006 .*'softmax' is not an epilogue element/],
    ['epilogue on a kernel without one', (d) => (d.forward[0].kernel = 'add+relu'), /^NNR1006 .*'add' takes no fused epilogue/],
    ['wrong arity', (d) => d.forward[0].inputs.pop(), /^NNR1007 .*expects 3 inputs, has 2/],
    ['missing attribute', (d) => delete d.forward[0].attrs.transB, /^NNR1008 .*attribute 'transB' is missing/],
    ['mistyped attribute', (d) => (d.forward[0].attrs.transA = 'yes'), /^NNR1008 .*'transA' must be bool/],
    ['unknown tensor', (d) => (d.forward[1].inputs[0] = 'ghost'), /^NNR1009 .*input 'ghost' is not a declared tensor/],
    ['read before write', (d) => d.forward.reverse(), /^NNR1010 .*reads 'h\/matmul\+bias\+sigmoid' before any step writes it/],
    ['bad dtype', (d) => (d.tensors[0].dtype = 'f64'), /^NNR1004 .*dtype "f64"/],
    ['negative dim', (d) => (d.tensors[0].shape = [-1, 3]), /^NNR1004 .*invalid dim -1/],
    ['undeclared symbolic dim', (d) => (d.tensors[0].shape = ['rows', 3]), /^NNR1013 .*dim 'rows'/],
    ['code in a dim expression', (d) => (d.tensors[0].shape = ['process.exit()', 3]), /^NNR1013/],
    ['duplicate tensor', (d) => d.tensors.push(d.tensors[0]), /^NNR1004 .*declared twice/],
    ['output names nothing', (d) => (d.outputs[0].tensor = 'nope'), /^NNR1011/],
    ['step names a missing program', (d) => (d.forward[0].program = 'k1'), /^NNR1014 .*names program "k1"/],
    ['malformed program', (d) => (d.programs = { k1: { code: 'fn main() {}', entryPoint: 'main', workgroupSize: [0, 1, 1], dispatch: [1, 1, 1] } }), /^NNR1014 .*workgroupSize/],
    ['buffer beyond the memory plan', (d) => (d.tensors.find((t: any) => t.buffer !== undefined).buffer = 50), /^NNR1012/],
  ];
  for (const [name, change, expected] of CASES) {
    it(`rejects: ${name}`, () => {
      expect(codeOf(() => validatePlan(mutated(change)))).toMatch(expected);
    });
  }

  it('lists several problems at once', () => {
    const message = codeOf(() => validatePlan(mutated((d) => {
      d.forward[0].kernel = 'nope';
      d.forward[1].attrs.transA = 3;
    })));
    expect(message).toMatch(/unknown kernel 'nope'[\s\S]*'transA' must be bool/);
  });

  it('rejects truncated JSON with a clear message', () => {
    const text = JSON.stringify(seedPlan().plan);
    expect(codeOf(() => parsePlanJson(text.slice(0, text.length / 2)))).toMatch(/^NNR1001 .*not valid JSON.*truncated/);
  });
});

describe('weights against the plan', () => {
  it('rejects missing, mis-sized and mistyped weights', () => {
    const { plan, weights } = seedPlan();
    const missing = new Map(weights);
    missing.delete('h.bias');
    expect(codeOf(() => createCpuExecutor(plan, missing))).toMatch(/^NNR1101 [\s\S]*'h.bias' \(param\) is missing/);
    const short = new Map(weights).set('h.weight', new Float32Array(5));
    expect(codeOf(() => createCpuExecutor(plan, short))).toMatch(/^NNR1102 [\s\S]*'h.weight' has 5 values, .*\[4, 3\] needs 12/);
    const ints = new Map(weights).set('y.bias', new Int32Array(2));
    expect(codeOf(() => createCpuExecutor(plan, ints))).toMatch(/^NNR1103 [\s\S]*'y.bias' is i32/);
  });

  it('round-trips through serialize + load (embedded and separate weights) and still computes the seed output', async () => {
    const { plan, weights } = seedPlan();
    for (const embed of [true, false]) {
      const { json, weightsBytes } = embed ? serializePlan(plan, weights, { embed: true }) : serializePlan(plan, weights, { embed: false, weightsFile: 'seed.safetensors' });
      const loaded = loadPlan(json, weightsBytes ?? undefined);
      const { y } = await createCpuExecutor(loaded.plan, loaded.weights).infer({ x: f32([1, 3], [0.7, -1.5, 0.2]) });
      expect(Math.abs(y!.data[0]! - 0.60530524)).toBeLessThan(1e-6);
    }
  });

  it('rejects input shapes that contradict the plan', async () => {
    const { plan, weights } = seedPlan();
    const executor = createCpuExecutor(plan, weights);
    await expect(executor.infer({ x: f32([1, 4]) })).rejects.toThrow(/'x' has shape \[1, 4\], the plan expects \[batch, 3\]/);
    await expect(executor.infer({})).rejects.toThrow(/missing input 'x'/);
  });

  it('training plans validate after serialisation too, and in-place updates must write their own inputs', () => {
    const g = seedGraph();
    const t = g.label('t', ['batch', 2]);
    const { plan } = compileGraph(g.graph, 'Seed', trainConfig({ kind: 'mse', pred: g.graph.outputs[0]!.node, target: t }), { target: 'cpu', fuse: true, training: true });
    expect(() => parsePlanJson(JSON.stringify(plan))).not.toThrow();
    const doc = JSON.parse(JSON.stringify(plan));
    doc.update[0].outputs = ['y.bias'];
    expect(codeOf(() => validatePlan(doc))).toMatch(/^NNR1007 .*in-place update's outputs must be its parameter/);
  });
});

describe('plan files on disk', () => {
  it('loadPlanFile reads the plan and the weights file it names, relative to the plan', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadPlanFile } = await import('../../../runtime/plan/load-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'nnet-plan-'));
    const { plan, weights } = seedPlan();
    const { json, weightsBytes } = serializePlan(plan, weights, { embed: false, weightsFile: 'seed.safetensors' });
    writeFileSync(join(dir, 'seed.json'), json);
    writeFileSync(join(dir, 'seed.safetensors'), weightsBytes!);
    const loaded = await loadPlanFile(join(dir, 'seed.json'));
    expect([...loaded.weights.keys()].sort()).toEqual(['h.bias', 'h.weight', 'y.bias', 'y.weight']);
    writeFileSync(join(dir, 'seed.safetensors'), weightsBytes!.subarray(0, weightsBytes!.length - 3));
    await expect(loadPlanFile(join(dir, 'seed.json'))).rejects.toThrow(/NNR1203/);
    writeFileSync(join(dir, 'broken.json'), json.slice(0, 100));
    await expect(loadPlanFile(join(dir, 'broken.json'))).rejects.toThrow(/NNR1001.*not valid JSON/);
  });
});
