import { describe, expect, it } from 'vitest';
import { chooseMatmulVariant, emitWebGpuProgram, emitWebGpuPrograms, type WebGpuProgram } from '../../../../compiler/emit/webgpu/index.js';
import { stepMatmulDims } from '../../../../compiler/emit/webgpu/templates/matmul.js';
import type { PlanTensor } from '../../../../runtime/plan/format.js';
import { digitsModel } from '../../../runtime/webgpu/models.js';
import { exampleWebGpuPlans } from './example-plans.js';

function tensors(list: Array<[string, Array<number | string>]>): Map<string, PlanTensor> {
  return new Map(list.map(([name, shape]) => [name, { name, shape, dtype: 'f32', role: 'activation' }]));
}

describe('WebGPU emitter', () => {
  it('fills every step program and shares identical kernels by structural key', () => {
    const { plan } = digitsModel();
    const out = emitWebGpuPrograms(plan);
    expect(out.target).toBe('webgpu');
    const steps = [...out.forward, ...out.backward, ...out.update];
    for (const step of steps) expect(out.programs[step.program!]).toBeDefined();
    // Sharing, checked against a signature computed here, not by the emitter: in every example's plan
    // two steps share a program exactly when their kernel, tensor shapes and dtypes and attributes are equal.
    let shared = 0;
    for (const example of exampleWebGpuPlans()) {
      const plan = example.plan!;
      const shapes = new Map(plan.tensors.map((t) => [t.name, `${t.dtype}[${t.shape.join(',')}]`]));
      const all = [...plan.forward, ...plan.backward, ...plan.update];
      const signature = (s: (typeof all)[number]) =>
        `${s.kernel}|${s.inputs.map((n) => shapes.get(n)).join(';')}->${s.outputs.map((n) => shapes.get(n)).join(';')}|${JSON.stringify(s.attrs)}`;
      const programOf = new Map<string, string>();
      for (const step of all) {
        const first = programOf.get(signature(step));
        if (first === undefined) programOf.set(signature(step), step.program!);
        else expect(step.program, `${example.name}: ${step.kernel} with the signature of an earlier step`).toBe(first);
      }
      expect(Object.keys(plan.programs), example.name).toHaveLength(programOf.size);
      shared += all.length - programOf.size;
    }
    expect(shared).toBeGreaterThan(0);
    const codes = (Object.values(out.programs) as WebGpuProgram[]).map((p) => p.code + JSON.stringify(p.params));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('emits one program for two steps with the same op, shapes and attributes', () => {
    const t = tensors([['x', ['batch', 8]], ['y1', ['batch', 8]], ['y2', ['batch', 8]]]);
    const p1 = emitWebGpuProgram({ kernel: 'relu', inputs: ['x'], outputs: ['y1'], attrs: {} }, t);
    const p2 = emitWebGpuProgram({ kernel: 'relu', inputs: ['x'], outputs: ['y2'], attrs: {} }, t);
    const p3 = emitWebGpuProgram({ kernel: 'leaky_relu', inputs: ['x'], outputs: ['y2'], attrs: { alpha: 0.1 } }, t);
    expect(p1.key).toBe(p2.key);
    expect(p3.key).not.toBe(p1.key);
    expect(p3.code).toContain('0.1 * x');
  });

  it('chooses the matmul variant by shape in one place', () => {
    const dims = (m: number | string, n: number, k: number) => ({ m, n, k, lda: k, ldb: k, transA: false, transB: true });
    expect(chooseMatmulVariant(dims(1, 4, 3))).toBe('direct');
    expect(chooseMatmulVariant(dims(512, 512, 512))).toBe('tiled');
    expect(chooseMatmulVariant(dims('batch', 256, 784))).toBe('tiled');
    expect(chooseMatmulVariant(dims('batch', 10, 784))).toBe('direct');
  });

  it('reads transposed operands for the backward matmuls (dW = dyᵀ·x)', () => {
    const t = tensors([['dy', ['batch', 10]], ['x', ['batch', 32]], ['dw', [10, 32]]]);
    const step = { kernel: 'matmul', inputs: ['dy', 'x'], outputs: ['dw'], attrs: { transA: true, transB: false } };
    const p = emitWebGpuProgram(step, t);
    expect(stepMatmulDims({ base: 'matmul', epilogue: [], inputs: [{ shape: ['batch', 10], dtype: 'f32' }, { shape: ['batch', 32], dtype: 'f32' }], outputs: [], attrs: step.attrs })).toMatchObject({ m: 10, n: 32, k: 'batch' });
    expect(p.code).toContain('a[k * P.lda + m]');
    expect(p.params.find((q) => q.name === 'K')!.value).toBe('batch');
  });

  it('writes symbolic sizes as dim expressions for the runtime to evaluate', () => {
    const t = tensors([['x', ['batch', 784]], ['w', [256, 784]], ['b', [256]], ['y', ['batch', 256]]]);
    const p = emitWebGpuProgram({ kernel: 'matmul+bias+relu', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transA: false, transB: true } }, t);
    expect(p.dispatch).toEqual([4, 'ceil(batch/64)', 1]);
    expect(p.params.map((q) => [q.name, q.value])).toEqual([['M', 'batch'], ['N', 256], ['K', 784], ['lda', 784], ['ldb', 784]]);
    expect(p.code).toContain('v = act_relu(v);');
    expect(p.code).toContain('v = v + bias[n];');
  });

  it('names the step of a kernel without a WebGPU implementation', () => {
    // Every kernel of today's vocabulary has a template; a kernel added later without one is named.
    const t = tensors([['x', ['batch', 8]], ['y', ['batch', 8]]]);
    const step = { kernel: 'fft', inputs: ['x'], outputs: ['y'], attrs: {}, source: { layer: 'f', op: 'fft', line: 4, column: 3 } };
    expect(() => emitWebGpuProgram(step, t)).toThrow(/kernel 'fft' \(fft 'f' at line 4:3\) has no WebGPU implementation yet; compile with --target cpu/);
  });
});
