import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { exportOnnx } from '../../../runtime/export/onnx.js';
import { compiled, INFERENCE_CASES, REFUSED } from './onnx-harness.js';
import { RANDOM_MODEL_SEEDS, randomModel } from './random-models.js';
import { pythonWith } from './python.js';
import { opPlan } from '../webgpu/op-plan.js';

/**
 * The official ONNX checker (onnx.checker.check_model with full_check, which also runs ONNX's shape
 * inference) over every exported file: each model of every example and every seeded random model,
 * fused and unfused, and every inference kernel's op case, in one python call. Needs a python3 with the onnx module: Debian's python3-onnx
 * (ONNX 1.12, opsets ≤ 17), which scripts/install-onnx.sh installs and .ci/run calls.
 */
const python = pythonWith('onnx');

const CHECK = `
import json, sys, onnx
results = {}
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        opsets = [o.version for o in model.opset_import if o.domain == '']
        results[path] = None if opsets == [17] and model.producer_name == 'nnet' else f'opset {opsets}, producer {model.producer_name!r}'
    except Exception as error:
        results[path] = f'{type(error).__name__}: {error}'
print(json.dumps(results))
`;

describe.skipIf(!python)(`the ONNX checker passes every exported file${python ? '' : ' (skipped: no python3 here imports onnx; run scripts/install-onnx.sh, which installs Debian\'s python3-onnx)'}`, () => {
  it('examples and seeded random models, fused and unfused (onnx.checker.check_model, full_check=True)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnet-onnx-check-'));
    const write = (name: string, source: string, model: string | undefined, fuse: boolean, path?: string): void => {
      const { plan, weights } = compiled(source, { ...(model ? { model } : {}), fuse, ...(path ? { path } : {}) });
      writeFileSync(join(dir, `${name}${fuse ? '' : '.unfused'}.onnx`), exportOnnx(plan, weights, { docString: name, producerVersion: '0.1.0' }));
    };
    for (const file of readdirSync('examples').filter((f) => f.endsWith('.nnet'))) {
      const path = join('examples', file);
      const source = readFileSync(path, 'utf8');
      for (const model of checkSource(source).models) for (const fuse of [true, false]) write(`${file}.${model.name}`, source, model.name, fuse, path);
    }
    for (const seed of RANDOM_MODEL_SEEDS) for (const fuse of [true, false]) write(`random-${seed}`, randomModel(seed), undefined, fuse);
    INFERENCE_CASES.filter((c) => !REFUSED.some(([name]) => name.test(c.name))).forEach((c, i) => {
      const { plan, weights } = opPlan(c);
      writeFileSync(join(dir, `case-${i}.onnx`), exportOnnx({ ...plan, outputs: plan.outputs.slice(0, 1) }, weights));
    });
    const files = readdirSync(dir).map((f) => join(dir, f));
    const run = spawnSync(python!, ['-c', CHECK, ...files], { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 24 });
    expect(run.status, run.stderr).toBe(0);
    const results = JSON.parse(run.stdout) as Record<string, string | null>;
    expect(Object.keys(results)).toHaveLength(files.length);
    expect(Object.entries(results).filter(([, error]) => error !== null)).toEqual([]);
  });
});
