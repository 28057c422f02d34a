import { WebGpuError } from './errors.js';
import type { RuntimeProgram } from './program-check.js';

/**
 * Pipelines, created asynchronously and all up front (no compile stall on the first batch), with an
 * explicit bind-group layout per program: storage buffers in binding order, then the params uniform,
 * then the run-time uniform when the program reads it.
 */
export interface CompiledProgram {
  program: RuntimeProgram;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

function bindGroupLayout(device: GPUDevice, program: RuntimeProgram): GPUBindGroupLayout {
  const entries: GPUBindGroupLayoutEntry[] = program.bindings.map((b, i) => ({
    binding: i,
    visibility: GPUShaderStage.COMPUTE,
    buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
  }));
  entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  if (program.runtime) entries.push({ binding: entries.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  return device.createBindGroupLayout({ label: program.key, entries });
}

export async function compilePrograms(device: GPUDevice, programs: Map<string, RuntimeProgram>): Promise<Map<string, CompiledProgram>> {
  const compiled = await Promise.all(
    [...programs.values()].map(async (program) => {
      const module = device.createShaderModule({ label: program.key, code: program.code });
      const layout = bindGroupLayout(device, program);
      let pipeline: GPUComputePipeline;
      try {
        pipeline = await device.createComputePipelineAsync({
          label: program.key,
          layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
          compute: { module, entryPoint: program.entryPoint },
        });
      } catch (error) {
        const info = await module.getCompilationInfo();
        const messages = info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ');
        throw new WebGpuError('NNR6002', `WGSL program '${program.key}' does not compile: ${messages || (error as Error).message}`);
      }
      return [program.key, { program, pipeline, layout }] as const;
    }),
  );
  return new Map(compiled);
}
