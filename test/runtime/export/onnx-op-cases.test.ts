import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { exportOnnx } from '../../../runtime/export/onnx.js';
import { ONNX_OPS } from '../../../runtime/export/onnx-ops.js';
import { parseKernelName } from '../../../runtime/plan/kernels.js';
import { opPlan } from '../webgpu/op-plan.js';
import { INFERENCE_CASES, REFUSED } from './onnx-harness.js';

/**
 * Every inference kernel's op case (the cases the CPU and WebGPU back ends share) as a one-step plan,
 * exported and run in onnxruntime against nnet's CPU kernel: the unit-level check of each ONNX_OPS
 * entry, including mappings no example reaches (sub, scale, slice, a scan whose input is not a
 * projection). Outputs: y, and attention's probabilities.
 */
const CASES = INFERENCE_CASES;

describe('ONNX export of every inference kernel, run in onnxruntime against the CPU kernel (tolerance 1e-5)', () => {
  it('covers every mapped kernel', () => {
    const reached = new Set(CASES.map((c) => parseKernelName(c.kernel).base));
    const mapped = Object.entries(ONNX_OPS).filter(([, rule]) => typeof rule === 'function').map(([name]) => name);
    expect(mapped.filter((k) => !reached.has(k))).toEqual([]);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const { plan: full, weights, feeds } = opPlan(c);
      const refused = REFUSED.find(([name]) => name.test(c.name));
      if (refused) {
        expect(() => exportOnnx(full, weights)).toThrow(refused[1]);
        return;
      }
      const keep = parseKernelName(c.kernel).base === 'attention' ? 2 : 1;
      const plan = { ...full, outputs: full.outputs.slice(0, keep) };
      const all = new Map([...weights]);
      const ours = await createCpuExecutor(plan, all).infer(feeds);
      const session = await ort.InferenceSession.create(exportOnnx(plan, all), { intraOpNumThreads: 1 });
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.dtype === 'i32' ? 'int32' : 'float32', t.data, t.shape);
      const theirs = await session.run(ortFeeds);
      for (const { name } of plan.outputs) {
        expect(theirs[name]!.dims).toEqual(ours[name]!.shape);
        const b = theirs[name]!.data as Float32Array;
        const a = ours[name]!.data;
        let maxDiff = 0;
        for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Number.isNaN(b[i]!) ? Infinity : Math.abs(a[i]! - b[i]!));
        expect(maxDiff, `${name}`).toBeLessThan(1e-5);
      }
      await session.release();
    });
  }
});
