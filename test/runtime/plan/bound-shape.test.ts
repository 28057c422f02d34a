import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundShape } from '../../../runtime/plan/bound-shape.js';
import { PlanError } from '../../../runtime/plan/errors.js';
import { runCli } from '../../cli/run-cli.js';

describe('boundShape: a computed dim below 1 is an input error (NNR1017)', () => {
  it('evaluates dims for the bound sizes', () => {
    expect(boundShape({ name: 't', shape: ['batch', 'seq-4', 3], dtype: 'f32', role: 'activation' }, { batch: 2, seq: 9 })).toEqual([2, 5, 3]);
  });

  it('keeps an input-sized dim of 0 (an empty batch)', () => {
    expect(boundShape({ name: 't', shape: ['batch', 3], dtype: 'f32', role: 'activation' }, { batch: 0 })).toEqual([0, 3]);
  });

  it('names the tensor, the dim and the bound sizes when a window leaves nothing', () => {
    const call = (): number[] => boundShape({ name: 'h/conv1d', shape: ['batch', 'seq-8', 4], dtype: 'f32', role: 'activation' }, { batch: 1, seq: 7 });
    expect(call).toThrow(PlanError);
    expect(call).toThrow(/NNR1017: the inputs bind batch = 1, seq = 7, which leaves 'h\/conv1d' with -1 along 'seq-8'/);
  });

  it('nnet run on a sequence too short for two convolutions: one error line, no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnet-short-'));
    const model = join(dir, 'm.nnet');
    writeFileSync(model, 'model M {\n  input x: [batch, seq, 2]\n  output y = x |> conv1d(4, 5) |> conv1d(4, 5)\n}\n');
    const input = join(dir, 'in.json');
    writeFileSync(input, JSON.stringify({ x: [Array.from({ length: 7 }, () => [1, 2])] }));
    const run = await runCli(['run', model, '--input', input]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/NNR1017: .*seq = 7/);
    expect(run.stderr).not.toMatch(/RangeError|\n\s+at /);
  });
});
