import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { checkpointWith, deepList, example, npy, npyWithHeader, scratch, seedWeights, write } from './files.js';
import { newTally, STACK_TRACE, summary, withinTime } from './tally.js';

/**
 * The standing hostile corpus, command-line half: every reproduction of issue 14 (and its
 * neighbours) run through the CLI in process. Each must end with exit code 1, one stable code on
 * stderr and no stack trace, within a time limit; outputs that must not be written are checked.
 */
const tally = newTally();
let dir = '';
const at = (name: string) => join(dir, name);

interface Case {
  name: string;
  /** Builds the files it needs and returns the command line. */
  args: () => string[];
  code: string;
  /** Files that must not exist (or must be unchanged) afterwards. */
  untouched?: string[];
  /** What the message must say besides its code. */
  says?: RegExp;
}

/** The seed plan edited; the string 'DEEP' stands for a 100,000-deep list (too deep for JSON.stringify). */
function plan(edit: (p: Record<string, any>) => void): string {
  const doc = JSON.parse(readFileSync(at('p/seed.plan.json'), 'utf8')) as Record<string, any>;
  edit(doc);
  return write(dir, `p/edited-${tally.inputs}.plan.json`, JSON.stringify(doc).replace('"DEEP"', deepList(100_000)));
}

const seedRun = (extra: string[]) => ['run', at('seed.nnet'), ...extra];
const xorWith = (name: string, replace: [string, string]) => write(dir, name, example('xor.nnet').replace(...replace));

const CASES: Case[] = [
  // 1. quadratic did-you-mean
  { name: '64 KB names a letter apart', args: () => ['check', write(dir, 'long.nnet', `model M {\n  input ${'a'.repeat(32_000)}: [batch, 3]\n  y = dense(${'a'.repeat(32_001)}, 4)\n  output y\n}\n`)], code: 'NN2001' },
  // 3. unguarded file access
  { name: 'run --input missing.npy', args: () => seedRun(['--input', at('missing.npy')]), code: 'NNR5001' },
  { name: 'run plan --weights missing', args: () => ['run', at('p/seed.plan.json'), '--weights', at('missing.safetensors'), '--input', '[[1,2,3]]'], code: 'NNR1201' },
  { name: 'plan weights.file missing', args: () => ['run', plan((p) => (p.weights = { file: 'nowhere.safetensors' })), '--input', '[[1,2,3]]'], code: 'NNR1201' },
  { name: 'plan weights.file a folder', args: () => ['run', plan((p) => (p.weights = { file: '.' })), '--input', '[[1,2,3]]'], code: 'NNR1201' },
  { name: 'compile -o under a file', args: () => ['compile', at('seed.nnet'), '-o', join(at('seed.nnet'), 'p.json')], code: 'NN4006' },
  { name: 'train --out under a file', args: () => ['train', at('xor.nnet'), '--epochs', '1', '--no-checkpoint', '--out', join(at('xor.nnet'), 'w.safetensors')], code: 'NN4006' },
  { name: 'train --plot into a folder', args: () => ['train', at('xor.nnet'), '--epochs', '1', '--no-checkpoint', '--plot', dir], code: 'NN4006' },
  // 4. names every JS object has
  { name: "NPY descr '<constructor'", args: () => seedRun(['--input', write(dir, 'ctor.npy', npyWithHeader("{'descr': '<constructor', 'fortran_order': False, 'shape': (1, 3), }", new Uint8Array(12)))]), code: 'NNR5004' },
  { name: "NPY descr '<toString'", args: () => seedRun(['--input', write(dir, 'tostring.npy', npyWithHeader("{'descr': '<toString', 'fortran_order': False, 'shape': (1, 3), }", new Uint8Array(12)))]), code: 'NNR5004' },
  { name: 'plan dim "constructor"', args: () => ['run', plan((p) => (p.tensors[0].shape = ['constructor', 3])), '--input', '[[1,2,3]]'], code: 'NNR1013' },
  { name: 'plan dim "toString"', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch', 'toString'])), '--input', '[[1,2,3]]'], code: 'NNR1013' },
  { name: 'plan dim "__proto__"', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch', '__proto__'])), '--input', '[[1,2,3]]'], code: 'NNR1013' },
  { name: 'safetensors dtype "constructor"', args: () => ['run', at('p/seed.plan.json'), '--weights', write(dir, 'ctor.safetensors', seedWeights([4, 3], 'constructor')), '--input', '[[1,2,3]]'], code: 'NNR1204' },
  { name: 'train key toString', args: () => ['check', xorWith('tostring.nnet', ['seed 1', 'toString 1'])], code: 'NN3002' },
  // 5. deep nesting
  { name: '100,000-deep --input JSON', args: () => seedRun(['--input', deepList(100_000)]), code: 'NNR5007' },
  { name: '100,000-deep --input file', args: () => seedRun(['--input', write(dir, 'deep.json', `{"x": ${deepList(100_000)}}`)]), code: 'NNR5007' },
  { name: '100,000-deep training data', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--data', write(dir, 'deep-data.json', `[{"x": ${deepList(100_000)}, "target": [1]}]`)], code: 'NNR5007' },
  { name: '100,000-deep plan attribute', args: () => ['run', plan((p) => (p.forward[0].attrs.transA = 'DEEP')), '--input', '[[1,2,3]]'], code: 'NNR1016' },
  { name: '100,000-deep plan dims', args: () => ['run', plan((p) => (p.dims.batch = 'DEEP')), '--input', '[[1,2,3]]'], code: 'NNR1016' },
  { name: '100,000-deep object in --input', args: () => seedRun(['--input', `{"x": [[${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]]}`]), code: 'NNR5007' },
  { name: '100,000-deep object in training data', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--data', write(dir, 'deep-object.json', `[{"x": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}, "target": [1]}]`)], code: 'NNR5007' },
  { name: '100,000-deep nnet.history', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--resume', write(dir, 'c6.safetensors', checkpointWith({ 'nnet.epoch': '1', 'nnet.history': `[${deepList(100_000)}]` }))], code: 'NNR5102' },
  { name: '100,000-deep safetensors header', args: () => ['run', at('p/seed.plan.json'), '--weights', write(dir, 'deep.safetensors', seedWeights([4, 3], 'DEEP')), '--input', '[[1,2,3]]'], code: 'NNR1202' },
  { name: '50,000-deep dim expression', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch', `${'('.repeat(50_000)}4${')'.repeat(50_000)}`])), '--input', '[[1,2,3]]'], code: 'NNR1016' },
  // 6. plan validation gaps
  { name: 'fused output ["batch", 40]', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch', 40])), '--input', '[[1,2,3]]'], code: 'NNR1015' },
  { name: 'fused output ["batch", 1]', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch', 1])), '--input', '[[1,2,3]]'], code: 'NNR1015' },
  { name: 'output dim "batch/3"', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch/3', 4])), '--input', '[[1,2,3]]'], code: 'NNR1013' },
  { name: 'output dim "batch-5"', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch-5', 4])), '--input', '[[1,2,3]]'], code: 'NNR1015' },
  { name: 'output dim 1e12', args: () => ['run', plan((p) => (p.tensors[5].shape = ['batch', 1e12])), '--input', '[[1,2,3]]'], code: 'NNR1004' },
  { name: 'input dim "batch*0.5"', args: () => ['run', plan((p) => (p.tensors[0].shape = ['batch*0.5', 3])), '--input', '[[1,2,3]]'], code: 'NNR1013' },
  { name: 'matmul inner size edited', args: () => ['run', plan((p) => (p.tensors[1].shape = [4, 5])), '--input', '[[1,2,3]]'], code: 'NNR1015' },
  { name: '[3, 4] weights for a [4, 3] parameter', args: () => ['run', at('p/seed.plan.json'), '--weights', write(dir, 'transposed.safetensors', seedWeights([3, 4])), '--input', '[[1,2,3]]'], code: 'NNR1102' },
  // 7. unbounded reads
  { name: 'plan weights.file /dev/zero', args: () => ['run', plan((p) => (p.weights = { file: '/dev/zero' })), '--input', '[[1,2,3]]'], code: 'NNR1201' },
  { name: '--input /dev/zero', args: () => seedRun(['--input', '/dev/zero']), code: 'NNR5001' },
  { name: '--data /dev/zero.csv', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--data', '/dev/zero'], code: 'NNR5001' },
  { name: 'check /dev/zero', args: () => ['check', '/dev/zero'], code: 'NN4005' },
  { name: 'load("/dev/zero") compiled', args: () => ['compile', write(dir, 'devzero.nnet', 'model M {\n  input x: [batch, 3]\n  y = dense(x, 2, weight: load("/dev/zero"))\n  output y\n}\n')], code: 'NN5005' },
  // 8. checkpoint metadata
  { name: 'nnet.history "[{oops"', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--resume', write(dir, 'c1.safetensors', checkpointWith({ 'nnet.history': '[{oops' }))], code: 'NNR5102' },
  { name: 'nnet.epoch "abc"', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--resume', write(dir, 'c2.safetensors', checkpointWith({ 'nnet.epoch': 'abc' }))], code: 'NNR5102' },
  { name: 'nnet.epoch "-5"', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--resume', write(dir, 'c3.safetensors', checkpointWith({ 'nnet.epoch': '-5' }))], code: 'NNR5102' },
  { name: 'nnet.history not a list', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--resume', write(dir, 'c4.safetensors', checkpointWith({ 'nnet.history': '{"epoch": 1}' }))], code: 'NNR5102' },
  { name: 'nnet.optimizer_step "1e999"', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--resume', write(dir, 'c5.safetensors', checkpointWith({ 'nnet.optimizer_step': '1e999' }))], code: 'NNR5102' },
  // 9. silent NaN
  { name: 'sgd(lr: 1e300)', args: () => ['train', xorWith('xor-nan.nnet', ['sgd(lr: 0.5, momentum: 0.9)', 'sgd(lr: 1e300)']), '--epochs', '1', '--no-checkpoint', '--out', at('nan.safetensors')], code: 'NNR5101', untouched: ['nan.safetensors'], says: /at step 1 \(epoch 1, batch 1\); first non-finite: .* of layer 'hidden' \(dense, line \d+:\d+\)/ },
  // 10. empty data
  { name: 'CSV with only a header', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--data', write(dir, 'empty.csv', 'a,b,target\n')], code: 'NNR5002' },
  { name: 'JSON dataset {"x": []}', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--data', write(dir, 'empty.json', '{"x": [], "target": []}')], code: 'NNR5002' },
  // 11. models that cannot fit
  { name: 'dense 30000→30000', args: () => ['compile', write(dir, 'huge.nnet', 'model Huge {\n  input x: [batch, 30000]\n  y = dense(x, 30000)\n  output y\n}\n'), '--memory-limit', '1GiB'], code: 'NN5007', untouched: ['huge.plan.json', 'huge.safetensors'], says: /needs \d+\.\d GiB at batch 1, over the memory limit of 1\.0 GiB; the largest tensors: y\.weight 3\.4 GiB/ },
  { name: 'conv2d(4096) twice at 512×512', args: () => ['run', write(dir, 'conv.nnet', 'model Conv {\n  input x: [batch, 512, 512, 3]\n  a = conv2d(x, 4096, 3, padding: same)\n  b = conv2d(a, 4096, 3, padding: same)\n  output b\n}\n'), '--input', '[[[[0, 0, 0]]]]', '--memory-limit', '2GiB'], code: 'NN5007' },
  { name: 'train --batch 1000000', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--batch', '1000000', '--memory-limit', '1MiB'], code: 'NN5007' },
  { name: 'a gan over the memory limit, refused when compiled', args: () => ['train', write(dir, 'gan.nnet', example('gan.nnet')), '--memory-limit', '1MiB'], code: 'NN5007', says: /model 'DigitsGan\/discriminator' needs [\d.]+ MiB at batch 64, over the memory limit of 1\.0 MiB/ },
  // 12. codes
  { name: 'run an unreadable .nnet', args: () => ['run', at('nope.nnet'), '--input', '[[1]]'], code: 'NN4005' },
  { name: 'compile a folder', args: () => ['compile', dir], code: 'NN4005' },
  { name: 'graph a missing file', args: () => ['graph', at('nope.nnet')], code: 'NN4005' },
  { name: 'train a missing file', args: () => ['train', at('nope.nnet')], code: 'NN4005' },
  { name: 'fmt a missing file', args: () => ['fmt', at('nope.nnet')], code: 'NN4005' },
  { name: 'check a missing file', args: () => ['check', at('nope.nnet')], code: 'NN4005' },
  { name: '.npy input of the wrong shape', args: () => seedRun(['--input', write(dir, 'wrong.npy', npy([1, 4], [1, 2, 3, 4]))]), code: 'NNR5005' },
  { name: '0-d .npy input', args: () => seedRun(['--input', write(dir, 'zero-d.npy', npy([], [1]))]), code: 'NNR5005' },
  { name: '1e400 in --input', args: () => seedRun(['--input', '[[1e400, 0, 0]]']), code: 'NNR5003' },
  { name: 'an empty batch', args: () => seedRun(['--input', '[]']), code: 'NNR5005' },
  // 13. outputs over the source
  { name: 'compile -o m.nnet', args: () => ['compile', at('seed.nnet'), '-o', at('seed.nnet')], code: 'NN4006' },
  { name: 'train --out m.nnet', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--out', at('xor.nnet')], code: 'NN4006' },
  { name: 'train --checkpoint m.nnet', args: () => ['train', at('xor.nnet'), '--checkpoint', at('xor.nnet')], code: 'NN4006' },
  { name: 'train --plot m.nnet', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--plot', at('xor.nnet')], code: 'NN4006' },
  { name: 'train --out the data file', args: () => ['train', at('xor.nnet'), '--no-checkpoint', '--data', write(dir, 'd.csv', 'a,b,target\n0,1,1\n'), '--out', at('d.csv')], code: 'NN4006' },
  { name: 'export -o m.nnet', args: () => ['export', at('seed.nnet'), '-o', at('seed.nnet')], code: 'NN4006' },
];

describe('hostile corpus: the command line', () => {
  beforeAll(async () => {
    dir = scratch();
    const compiled = await runCli(['compile', at('seed.nnet'), '-o', at('p/seed.plan.json')]);
    expect(compiled.code).toBe(0);
  });

  afterAll(() => {
    console.log(summary('cli', tally));
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    tally.inputs++;
    const sources = ['seed.nnet', 'xor.nnet'].map((f) => readFileSync(at(f), 'utf8'));
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      result = await withinTime(runCli(c.args()), 20_000);
    } catch (error) {
      if ((error as Error).message === 'HANG') tally.hangs.push(c.name);
      else tally.crashes.push(`${c.name}: ${(error as Error).message}`);
      throw error;
    }
    if (STACK_TRACE.test(result.stderr) || /internal error/.test(result.stderr)) tally.crashes.push(c.name);
    if (result.code === 0) tally.silent.push(c.name);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    // `nnet check` prints its diagnostics on stdout, every other command on stderr.
    expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 1, output: expect.stringContaining(`error ${c.code}:`) });
    expect(['seed.nnet', 'xor.nnet'].map((f) => readFileSync(at(f), 'utf8'))).toEqual(sources);
    for (const file of c.untouched ?? []) expect(existsSync(at(file))).toBe(false);
    if (c.says) expect(result.stdout + result.stderr).toMatch(c.says);
  });

  it('outputs into folders that do not exist yet are created before the work, not after', async () => {
    const out = at('new/a/w.safetensors');
    const result = await runCli(['train', at('xor.nnet'), '--epochs', '1', '--checkpoint', at('new/c/ck.safetensors'), '--out', out, '--plot', at('new/b/p.svg')]);
    expect(result.code).toBe(0);
    for (const file of [out, at('new/b/p.svg'), at('new/c/ck.safetensors')]) expect(existsSync(file)).toBe(true);
    const compiled = await runCli(['compile', at('seed.nnet'), '-o', at('new/d/seed.plan.json')]);
    expect(compiled.code).toBe(0);
  });

  it('all of it: no crash, no hang, no silent acceptance', () => {
    expect({ crashes: tally.crashes, hangs: tally.hangs, silent: tally.silent }).toEqual({ crashes: [], hangs: [], silent: [] });
  });
});
