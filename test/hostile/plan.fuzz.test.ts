import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSource } from '../../compiler/index.js';
import { compileModel } from '../../compiler/compile.js';
import { createCpuExecutor } from '../../runtime/cpu/index.js';
import type { Plan } from '../../runtime/plan/format.js';
import type { HostTensor } from '../../runtime/tensor.js';
import { newTally, summary } from './tally.js';

/**
 * The standing hostile corpus, plan half: a fuzz test of the plan validator. Compiled plans of the
 * examples are mutated one field at a time (a dim, a shape, a kernel, an attribute, a name, a role)
 * into hostile values, then validated and, when accepted, run on the CPU. A crash is any error
 * without an NN/NNR code; a silent acceptance is a mutated shape or dim that validates and then
 * gives other outputs than the original plan (or non-finite ones): the class of issue 14, item 6.
 */
const tally = newTally();

interface Subject {
  name: string;
  plan: Plan;
  weights: Map<string, HostTensor>;
  inputs: Record<string, HostTensor>;
  expected: Record<string, HostTensor>;
}

function subject(file: string, model?: string): Omit<Subject, 'expected'> {
  const text = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
  const check = checkSource(text, { path: file });
  const name = model ?? check.models[check.models.length - 1]!.name;
  const { plan, weights } = compileModel(check, name, { target: 'cpu', fuse: true, training: false });
  const shaped = new Map<string, HostTensor>();
  for (const [key, data] of weights) {
    const spec = plan!.tensors.find((t) => t.name === key)!;
    shaped.set(key, { shape: spec.shape as number[], dtype: data instanceof Int32Array ? 'i32' : 'f32', data });
  }
  const inputs: Record<string, HostTensor> = {};
  for (const input of plan!.inputs) {
    const spec = plan!.tensors.find((t) => t.name === input)!;
    const shape = spec.shape.map((d) => (typeof d === 'number' ? d : 2));
    const size = shape.reduce((a, b) => a * b, 1);
    inputs[input] = spec.dtype === 'i32' ? { shape, dtype: 'i32', data: new Int32Array(size) } : { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => Math.sin(i)) };
  }
  return { name: file, plan: plan!, weights: shaped, inputs };
}

const HOSTILE_VALUES: unknown[] = [
  -1, 0, 1, 3, 40, 0.5, 1e12, 2 ** 31, -0, 'batch', 'batch/3', 'batch-5', 'batch*2', '2*batch', 'batch+1', 'ceil(batch/2)',
  'constructor', '__proto__', 'toString', 'hasOwnProperty', '(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))',
  '', 'relu', 'matmul', 'matmul+bias+constructor', 'f32', 'i32', 'param', 'activation', null, true, false, [], {}, [1, 2], ['batch'],
];

/** Every path to a leaf (or a small array) of the document, for mutation. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(doc: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = structuredClone(value);
  return copy;
}

const isShapeOrDim = (path: Array<string | number>) => path[0] === 'dims' || (path[0] === 'tensors' && path[2] === 'shape');

function sameOutputs(a: Record<string, HostTensor>, b: Record<string, HostTensor>): boolean {
  return Object.keys(a).every((k) => {
    const x = a[k]!;
    const y = b[k];
    return y !== undefined && x.shape.join() === y.shape.join() && x.data.every((v, i) => Object.is(v, y.data[i]) || Math.abs(v - y.data[i]!) <= 1e-6);
  });
}

describe('hostile corpus: the plan validator under mutation', () => {
  const subjects: Subject[] = [];

  beforeAll(async () => {
    for (const [file, model] of [['seed.nnet'], ['iris.nnet'], ['residual.nnet'], ['digits-cnn.nnet'], ['tiny-transformer.nnet']] as Array<[string, string?]>) {
      const s = subject(file, model);
      const executor = createCpuExecutor(s.plan, s.weights);
      subjects.push({ ...s, expected: await executor.infer(s.inputs) });
      executor.dispose();
    }
  });

  afterAll(() => {
    console.log(summary('plans', tally));
  });

  it('refuses with a code, or accepts and runs to the same outputs when a shape or dim was touched', async () => {
    for (const s of subjects) {
      const all = paths(s.plan).filter((p) => p.length > 0);
      const cases = fc.sample(fc.tuple(fc.constantFrom(...all), fc.constantFrom(...HOSTILE_VALUES)), { numRuns: 160, seed: 14 });
      for (const [path, value] of cases) {
        tally.inputs++;
        const where = `${s.name} ${path.join('.')} = ${JSON.stringify(value)}`;
        const doc = setAt(s.plan, path, value);
        try {
          const executor = createCpuExecutor(doc, s.weights);
          const outputs = await executor.infer(s.inputs);
          executor.dispose();
          const finite = Object.values(outputs).every((t) => t.data.every(Number.isFinite));
          if (isShapeOrDim(path) && (!finite || !sameOutputs(s.expected, outputs))) tally.silent.push(where);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !/^NNR?\d{4}$/.test(code)) tally.crashes.push(`${where}: ${(error as Error)?.message ?? String(error)}`.slice(0, 300));
        }
      }
    }
    expect({ crashes: tally.crashes, silent: tally.silent }).toEqual({ crashes: [], silent: [] });
  });
});
