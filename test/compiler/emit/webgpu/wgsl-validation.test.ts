import { describe, expect, it } from 'vitest';
import { emitWebGpuProgram, type WebGpuProgram } from '../../../../compiler/emit/webgpu/index.js';
import { TEMPLATES } from '../../../../compiler/emit/webgpu/kernel-table.js';
import { KERNELS } from '../../../../runtime/plan/kernels.js';
import { validationDevice } from '../../../runtime/webgpu/gpu.js';
import { exampleWebGpuPlans } from './example-plans.js';
import { allVariants } from './variants.js';

/**
 * Every generated WGSL variant compiled and validated by Dawn (its null backend: real WGSL front end
 * and pipeline validation, no driver needed): no compilation error, and a compute pipeline with the
 * bind-group layout the runtime builds from the program's bindings.
 */
const gpu = await validationDevice();


describe('WGSL templates', () => {
  it('cover every kernel of the vocabulary', () => {
    expect(Object.keys(KERNELS).filter((k) => !(k in TEMPLATES))).toEqual([]);
  });

  it('compile every example model for WebGPU', () => {
    const failed = exampleWebGpuPlans().filter((e) => !e.plan).map((e) => `${e.name}: ${e.problems.join('; ')}`);
    expect(failed).toEqual([]);
  });

  it('enumerate every kernel with a template', () => {
    const covered = new Set(allVariants().map((v) => v.step.kernel.split('+')[0]));
    expect(Object.keys(TEMPLATES).filter((k) => !covered.has(k))).toEqual([]);
  });
});

function layoutFor(device: GPUDevice, program: WebGpuProgram): GPUPipelineLayout {
  const entries: GPUBindGroupLayoutEntry[] = program.bindings.map((b, i) => ({
    binding: i,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
  }));
  entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  if (program.runtime) entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  return device.createPipelineLayout({ bindGroupLayouts: [device.createBindGroupLayout({ entries })] });
}

describe.skipIf(!gpu)('every WGSL variant compiles and validates in Dawn', () => {
  const programs = new Map<string, { program: WebGpuProgram; names: string[] }>();
  for (const example of exampleWebGpuPlans()) {
    for (const program of Object.values(example.plan?.programs ?? {}) as WebGpuProgram[]) {
      const entry = programs.get(program.key) ?? { program, names: [] };
      entry.names.push(`examples/${example.name}`);
      programs.set(program.key, entry);
    }
  }
  for (const v of allVariants()) {
    const program = emitWebGpuProgram(v.step, v.tensors);
    const entry = programs.get(program.key) ?? { program, names: [] };
    entry.names.push(v.name);
    programs.set(program.key, entry);
  }

  it('reports a broken program (the check can fail)', async () => {
    const device = gpu!.device;
    const module = device.createShaderModule({ code: '@compute @workgroup_size(1) fn main() { let x: u32 = 1.5; }' });
    const info = await module.getCompilationInfo();
    expect(info.messages.some((m) => m.type === 'error')).toBe(true);
  });

  it(`validates ${programs.size} distinct programs`, async () => {
    const device = gpu!.device;
    const failures: string[] = [];
    for (const { program, names } of programs.values()) {
      device.pushErrorScope('validation');
      const module = device.createShaderModule({ code: program.code });
      const info = await module.getCompilationInfo();
      const errors = info.messages.filter((m) => m.type === 'error');
      try {
        await device.createComputePipelineAsync({ layout: layoutFor(device, program), compute: { module, entryPoint: program.entryPoint } });
      } catch (error) {
        errors.push({ message: (error as Error).message } as GPUCompilationMessage);
      }
      const scope = await device.popErrorScope();
      if (scope) errors.push({ message: scope.message } as GPUCompilationMessage);
      if (errors.length > 0) failures.push(`${names[0]} (${program.key}): ${errors.map((e) => e.message).join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(programs.size).toBeGreaterThan(300);
  }, 120_000);
});
