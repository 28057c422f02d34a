import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../runtime/data/csv.js';
import { readIdx } from '../../runtime/data/idx.js';
import { readJsonDataset } from '../../runtime/data/json.js';
import { readNpy, writeNpy } from '../../runtime/data/npy.js';
import { loadPlan } from '../../runtime/plan/load.js';
import { encodeCheckpoint, readCheckpoint } from '../../runtime/train/checkpoint.js';
import { readSafetensors } from '../../runtime/weights/safetensors.js';
import { deepList, npyWithHeader, seedWeights } from './files.js';
import { newTally, summary, type Tally } from './tally.js';

/**
 * The standing hostile corpus, readers half: generated mutations (byte flips, truncations,
 * insertions of hostile text) of valid NPY, IDX, CSV, JSON, safetensors, checkpoint and plan
 * files. Every reader must return a value or throw a user error carrying an NN/NNR code: any other
 * exception is a crash. Each input has a time limit; the whole file runs in seconds.
 */
const tally = newTally();
const RUNS = 400;
const dir = mkdtempSync(join(tmpdir(), 'nnet-fuzz-'));

/** Runs a reader on one input: a coded error is fine, anything else is a crash; slow is a hang. */
function attempt(t: Tally, name: string, read: () => unknown): void {
  t.inputs++;
  const started = performance.now();
  try {
    read();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^NNR?\d{4}$/.test(code)) t.crashes.push(`${name}: ${(error as Error)?.stack ?? String(error)}`.slice(0, 400));
  }
  if (performance.now() - started > 2_000) t.hangs.push(name);
}

const HOSTILE = ['constructor', '__proto__', 'toString', '-1', '1e400', 'NaN', '"', '\u0000', '9'.repeat(30), deepList(20_000), '{', ']', ',', '\n'];

/** A byte-level mutation: flip, truncate, or splice in hostile text. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), text: fc.constantFrom(...HOSTILE) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, edits: Mutation[]): Uint8Array {
  let out = bytes.slice();
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % out.length;
    if (edit.kind === 'flip') out[at] = edit.value;
    else if (edit.kind === 'truncate') out = out.slice(0, at);
    else {
      const text = new TextEncoder().encode(edit.text);
      const next = new Uint8Array(out.length + text.length);
      next.set(out.subarray(0, at));
      next.set(text, at);
      next.set(out.subarray(at), at + text.length);
      out = next;
    }
  }
  return out;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const enc = (s: string) => new TextEncoder().encode(s);
const checkpoint = encodeCheckpoint({
  model: 'Xor',
  epochsDone: 2,
  optimizerStep: 8,
  weights: new Map([['w', { shape: [2, 2], dtype: 'f32', data: new Float32Array(4) }]]),
  slots: new Map(),
  history: [
    { epoch: 1, lr: 0.1, loss: 0.5, seconds: 0 },
    { epoch: 2, lr: 0.1, loss: 0.4, seconds: 0 },
  ],
  best: null,
});
const plan = JSON.stringify({
  format: 'nnet-plan', version: 1, target: 'cpu', model: 'Seed', dims: { batch: null },
  tensors: [
    { name: 'x', shape: ['batch', 3], dtype: 'f32', role: 'input' },
    { name: 'h.weight', shape: [4, 3], dtype: 'f32', role: 'param' },
    { name: 'h.bias', shape: [4], dtype: 'f32', role: 'param' },
    { name: 'y.weight', shape: [2, 4], dtype: 'f32', role: 'param' },
    { name: 'y.bias', shape: [2], dtype: 'f32', role: 'param' },
    { name: 'h', shape: ['batch', 4], dtype: 'f32', role: 'activation', buffer: 0 },
    { name: 'y', shape: ['batch', 2], dtype: 'f32', role: 'activation', buffer: 1 },
  ],
  inputs: ['x'], labels: [], outputs: [{ name: 'y', tensor: 'y' }],
  forward: [
    { kernel: 'matmul+bias+sigmoid', inputs: ['x', 'h.weight', 'h.bias'], outputs: ['h'], attrs: { transA: false, transB: true } },
    { kernel: 'matmul+bias+sigmoid', inputs: ['h', 'y.weight', 'y.bias'], outputs: ['y'], attrs: { transA: false, transB: true } },
  ],
  backward: [], update: [], training: null, memory: { bufferBytes: [16, 8], referenceBatch: 1, peakBytes: 140 }, programs: {}, weights: null,
});
const idx = (() => {
  const out = new Uint8Array(4 + 8 + 6);
  out.set([0, 0, 0x08, 2]);
  new DataView(out.buffer).setUint32(4, 2);
  new DataView(out.buffer).setUint32(8, 3);
  return out;
})();

const READERS: Array<[string, Uint8Array, (bytes: Uint8Array) => unknown]> = [
  ['npy', writeNpy({ shape: [2, 3], dtype: 'f32', data: new Float32Array(6) }), (b) => readNpy(b, 'x.npy')],
  ['npy header', npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(24)), (b) => readNpy(b, 'x.npy')],
  ['idx', idx, (b) => readIdx(b, 'x.idx')],
  ['csv', enc('a,b,label\n0,1,1\n1,0,1\n0.5,2e3,0\n'), (b) => readCsv(text(b), { file: 'x.csv' })],
  ['json records', enc('[{"x": [0, 1], "label": 1}, {"x": [1, 0], "label": 0}]'), (b) => readJsonDataset(text(b), 'x.json')],
  ['json columns', enc('{"inputs": [[0, 1], [1, 0]], "labels": [1, 0]}'), (b) => readJsonDataset(text(b), 'x.json')],
  ['safetensors', seedWeights(), (b) => readSafetensors(b, 'w.safetensors')],
  ['checkpoint', checkpoint, (b) => {
    const path = join(dir, 'ck.safetensors');
    writeFileSync(path, b);
    return readCheckpoint(path);
  }],
  ['plan', enc(plan), (b) => loadPlan(text(b), seedWeights(), 'p.plan.json')],
  ['plan weights', seedWeights(), (b) => loadPlan(plan, b, 'p.plan.json')],
];

describe('hostile corpus: readers under generated mutations', () => {
  afterAll(() => {
    console.log(summary('readers', tally));
  });

  it.each(READERS.map(([name, bytes, read]) => [name, bytes, read] as const))('%s: returns or throws a coded error', (name, bytes, read) => {
    tally.inputs++;
    expect(() => read(bytes)).not.toThrow(); // the starting point is valid
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
        attempt(tally, name, () => read(mutate(bytes, edits)));
      }),
      { numRuns: RUNS, seed: 14 },
    );
    expect({ crashes: tally.crashes, hangs: tally.hangs }).toEqual({ crashes: [], hangs: [] });
  });
});
