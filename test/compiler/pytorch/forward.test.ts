import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import { runCli } from '../../cli/run-cli.js';
import { findTorchPython } from './python-with-torch.js';

/**
 * model.py against nnet's CPU executor: every model of every example, and all-ops.nnet (every op
 * of the language), shared-block.nnet (one module called at two uses) and tied.nnet (one Parameter in two modules), exported, given random weights (written by model.py's safetensors writer) and
 * random inputs; the module's forward must equal `nnet run --weights` within 1e-5.
 */
const torch = findTorchPython();
const files = [...readdirSync('examples').filter((f) => f.endsWith('.nnet')).map((f) => join('examples', f)), 'test/compiler/pytorch/all-ops.nnet', 'test/compiler/pytorch/shared-block.nnet', 'test/compiler/pytorch/tied.nnet'];
const TOLERANCE = 1e-5;

type Nested = number | Nested[];

/** Ids are below `ids` (20, or the smallest vocabulary of an embedding that reads them). */
function randomInput(shape: Array<number | string>, int: boolean, random: () => number, ids = 20): Nested {
  const [first, ...rest] = shape;
  const size = typeof first === 'number' ? first : first === 'batch' ? 2 : 8;
  if (shape.length === 0) return int ? Math.floor(random() * ids) : random() * 2 - 1;
  return Array.from({ length: size }, () => randomInput(rest, int, random, ids));
}

const flat = (x: Nested): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x]);

describe.skipIf(!torch.python)(`PyTorch export: model.py's forward equals nnet run (${torch.reason})`, () => {
  it(`every model of every example and every op, within ${TOLERANCE}`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-forward-'));
    const random = mulberry32(11);
    const jobs: Array<{ dir: string; model: string; inputs: Record<string, Nested>; file: string }> = [];
    for (const [k, file] of files.entries()) {
      const dir = join(root, String(k));
      const exported = await runCli(['export', file, '--format', 'pytorch', '-o', dir]);
      expect(exported.stderr, file).toContain(`wrote ${dir}`);
      for (const model of checkSource(readFileSync(file, 'utf8'), { path: file }).models) {
        const inputs: Record<string, Nested> = {};
        for (const input of model.graph.inputs.filter((i) => !i.labelOnly)) {
          const type = model.graph.nodes[input.node]!.type;
          const vocabs = model.graph.nodes.filter((n) => n.op === 'embedding' && n.inputs[0] === input.node).map((n) => n.attrs.vocab as number);
          inputs[input.name] = randomInput(type.shape, type.dtype === 'i32', random, Math.min(20, ...vocabs));
        }
        jobs.push({ dir, model: model.name, inputs, file });
      }
    }
    const jobsFile = join(root, 'jobs.json');
    writeFileSync(jobsFile, JSON.stringify(jobs));
    const torchOutputs = JSON.parse(execFileSync(torch.python!, ['test/compiler/pytorch/forward_check.py', jobsFile], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Array<Record<string, Nested>>;
    const worst: string[] = [];
    for (const [i, job] of jobs.entries()) {
      const inputFile = join(root, `input-${i}.json`);
      writeFileSync(inputFile, JSON.stringify(job.inputs));
      const run = await runCli(['run', job.file, '--model', job.model, '--input', inputFile, '--weights', join(job.dir, `random-${job.model}.safetensors`)]);
      expect(run.code, run.stderr).toBe(0);
      const nnet = JSON.parse(run.stdout) as Record<string, Nested>;
      for (const [name, value] of Object.entries(nnet)) {
        const a = flat(value);
        const b = flat(torchOutputs[i]![name]!);
        expect(b.length, `${job.model}.${name}`).toBe(a.length);
        const diff = Math.max(...a.map((v, j) => Math.abs(v - b[j]!)));
        worst.push(`${job.model}.${name} ${diff.toExponential(1)}`);
        expect(diff, `${job.file} ${job.model} output ${name}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
    expect(worst.length).toBeGreaterThanOrEqual(files.length);
  }, 300_000);
});
