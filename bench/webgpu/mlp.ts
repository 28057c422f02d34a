import { compileGraph } from '../../compiler/compile.js';
import { emitWebGpuPrograms } from '../../compiler/emit/webgpu/index.js';
import { f32, i32 } from '../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../runtime/webgpu/index.js';
import { LayerGraph, trainConfig } from '../../test/compiler/layer-graph.js';

/**
 * MLP 784-512-256-10 (relu, relu, logits; sparse softmax cross-entropy; Adam) training throughput on
 * WebGPU: samples/s of `trainStep`, each one command submission, reading the loss back every 10
 * steps as a training loop would. Fused (matmul+bias+relu) and --no-fuse plans.
 */
export interface MlpResult {
  batch: number;
  fused: boolean;
  samplesPerSecond: number;
  steps: number;
}

function mlpPlan(fuse: boolean) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 784]);
  const label = g.label('label', ['batch'], 'i32');
  const h1 = g.dense('h1', x, 512, 'relu');
  const h2 = g.dense('h2', h1, 256, 'relu');
  const logits = g.dense('logits', h2, 10, null);
  g.output('logits', logits);
  const train = trainConfig({ kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true }, { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  const { plan, weights } = compileGraph(g.graph, 'Mlp', train, { target: 'cpu', fuse, training: true });
  return { plan: emitWebGpuPrograms(plan!), weights };
}

export async function benchMlp(device: GPUDevice, batch: number, fused: boolean, steps: number): Promise<MlpResult> {
  const { plan, weights } = mlpPlan(fused);
  const executor = await createWebGpuExecutor(plan, weights, { device });
  const pixels = new Float32Array(batch * 784).map((_, i) => ((i * 31) % 255) / 255);
  const feeds = { x: f32([batch, 784], pixels), label: i32([batch], Array.from({ length: batch }, (_, i) => i % 10)) };
  await executor.trainStep(feeds, { lr: 1e-3, seed: 0 }); // warm-up: allocates the batch's buffers
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    await executor.trainStep(feeds, { lr: 1e-3, seed: s, skipLoss: s % 10 !== 9 && s !== steps - 1 });
  }
  const seconds = (performance.now() - start) / 1000;
  executor.dispose();
  return { batch, fused, steps, samplesPerSecond: (batch * steps) / seconds };
}
