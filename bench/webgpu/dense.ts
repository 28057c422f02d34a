import { emitWebGpuProgram, type WebGpuProgram } from '../../compiler/emit/webgpu/index.js';
import type { PlanStep, PlanTensor } from '../../runtime/plan/format.js';
import { evalDim } from '../../runtime/plan/dims.js';

/**
 * Dense-layer kernel throughput: y = relu(x·Wᵀ + b) at M = N = K = size, as the one fused program
 * (`matmul+bias+relu`) or as the three programs `--no-fuse` emits (matmul, bias_add, relu). Each
 * timing encodes `reps` repetitions in one submission and waits for the queue, so it measures the
 * GPU, not uploads or readbacks. GFLOP/s counts 2·M·N·K per repetition.
 */
export interface DenseResult {
  size: number;
  fused: boolean;
  gflops: number;
  msPerRep: number;
}

function tensor(name: string, shape: number[]): PlanTensor {
  return { name, shape, dtype: 'f32', role: 'activation' };
}

function programs(size: number, fused: boolean): Array<{ program: WebGpuProgram; step: PlanStep }> {
  const t = new Map([tensor('x', [size, size]), tensor('w', [size, size]), tensor('b', [size]), tensor('m', [size, size]), tensor('z', [size, size]), tensor('y', [size, size])].map((x) => [x.name, x]));
  const steps: PlanStep[] = fused
    ? [{ kernel: 'matmul+bias+relu', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transA: false, transB: true } }]
    : [
        { kernel: 'matmul', inputs: ['x', 'w'], outputs: ['m'], attrs: { transA: false, transB: true } },
        { kernel: 'bias_add', inputs: ['m', 'b'], outputs: ['z'], attrs: {} },
        { kernel: 'relu', inputs: ['z'], outputs: ['y'], attrs: {} },
      ];
  return steps.map((step) => ({ step, program: emitWebGpuProgram(step, t) }));
}

export async function benchDense(device: GPUDevice, size: number, fused: boolean, reps: number): Promise<DenseResult> {
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const buffers = new Map<string, GPUBuffer>();
  for (const [name, elements] of [['x', size * size], ['w', size * size], ['b', size], ['m', size * size], ['z', size * size], ['y', size * size]] as const) {
    const buffer = device.createBuffer({ size: elements * 4, usage });
    const data = new Float32Array(elements);
    for (let i = 0; i < elements; i++) data[i] = ((i * 7919) % 1000) / 1000 - 0.5;
    device.queue.writeBuffer(buffer, 0, data);
    buffers.set(name, buffer);
  }
  const dispatches = await Promise.all(
    programs(size, fused).map(async ({ step, program }) => {
      const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module: device.createShaderModule({ code: program.code }), entryPoint: 'main' } });
      const params = new Uint32Array(Math.max(4, Math.ceil(program.params.length / 4) * 4));
      program.params.forEach((p, i) => (params[i] = evalDim(p.value, {})));
      const uniform = device.createBuffer({ size: params.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(uniform, 0, params);
      const entries: GPUBindGroupEntry[] = program.bindings.map((b, i) => ({ binding: i, resource: { buffer: buffers.get((b.from === 'input' ? step.inputs : step.outputs)[b.index]!)! } }));
      entries.push({ binding: entries.length, resource: { buffer: uniform } });
      const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
      const workgroups = program.dispatch.map((d) => Math.min(65535, Math.ceil(evalDim(d, {})))) as [number, number, number];
      return { pipeline, bindGroup, workgroups };
    }),
  );
  const run = async (count: number): Promise<number> => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let r = 0; r < count; r++) {
      for (const d of dispatches) {
        pass.setPipeline(d.pipeline);
        pass.setBindGroup(0, d.bindGroup);
        pass.dispatchWorkgroups(...d.workgroups);
      }
    }
    pass.end();
    const start = performance.now();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - start;
  };
  await run(1); // warm-up: first-use costs (pipeline upload, page faults)
  const ms = await run(reps);
  for (const b of buffers.values()) b.destroy();
  const msPerRep = ms / reps;
  return { size, fused, msPerRep, gflops: (2 * size ** 3) / (msPerRep * 1e6) };
}
