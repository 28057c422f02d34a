import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { createStepResult } from '../../../runtime/executor.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { f32, i32 } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../../compiler/layer-graph.js';

/**
 * A steady-state training step allocates nothing on the JS heap (issue 9): the step the training
 * loop calls on the CPU (trainStepSync with its reused options and result record, reading back the
 * prediction), on a model large enough for the WASM SIMD kernels, the worker pool and the optimizer's
 * packing update. Measured as bench/cpu/measure.mjs does: the bytes V8's young generation took in
 * over the steps (what collections took out of it plus its growth), after warm-up steps that let
 * V8 optimize the code (until then the interpreter boxes numbers). The least of three measurements:
 * a late optimization can allocate in one of them, a step that allocates does in all three.
 */
function model() {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 64]);
  const h1 = g.dense('h1', x, 128, 'relu');
  const h2 = g.dense('h2', h1, 64, 'relu');
  const logits = g.dense('logits', h2, 10, null);
  g.output('probs', g.layer('softmax', 'probs', [logits], {}, ['batch', 10]));
  const label = g.label('label', ['batch'], 'i32');
  const config = trainConfig(
    { kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true },
    { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    { seed: 3 },
  );
  return compileGraph(g.graph, 'Steady', config, { target: 'cpu', fuse: true, training: true, verify: true });
}

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);
const youngBytes = (spaces: ReadonlyArray<{ space_name?: string; spaceName?: string; space_used_size?: number; spaceUsedSize?: number }>): number =>
  spaces.reduce((n, s) => n + (YOUNG_SPACES.has((s.space_name ?? s.spaceName)!) ? (s.space_used_size ?? s.spaceUsedSize)! : 0), 0);

function repeat(work: () => void, count: number): void {
  for (let i = 0; i < count; i++) work();
}

/** Bytes the young generation took in over `count` calls of `work`. */
function youngAllocated(gc: () => void, work: () => void, count: number): number {
  const profiler = new v8.GCProfiler();
  profiler.start();
  gc();
  gc();
  const before = youngBytes(v8.getHeapSpaceStatistics());
  repeat(work, count);
  const after = youngBytes(v8.getHeapSpaceStatistics());
  // The first two records are the collections above.
  const collections = profiler.stop().statistics.slice(2);
  return after - before + collections.reduce((n, c) => n + youngBytes(c.beforeGC.heapSpaceStatistics) - youngBytes(c.afterGC.heapSpaceStatistics), 0);
}

const BATCH = 32;
const WARM_STEPS = 3000;
const STEPS = 1000;
/** Bytes a step may allocate: what measuring allocates (its statistics objects) spread over the steps stays far below it. */
const MAX_BYTES_PER_STEP = 64;

describe('the steady-state CPU training step', () => {
  it('allocates nothing on the JS heap', () => {
    const { plan, weights } = model();
    const executor = createCpuExecutor(plan!, weights);
    const feeds = {
      x: f32([BATCH, 64], Array.from({ length: BATCH * 64 }, (_, i) => Math.sin(i))),
      label: i32([BATCH], Array.from({ length: BATCH }, (_, i) => i % 10)),
    };
    const options = { lr: 1e-3, seed: 1, outputs: ['probs'] };
    const record = createStepResult();
    const step = (): void => void executor.trainStepSync!(feeds, options, record);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    repeat(step, WARM_STEPS);
    const perStep = Math.min(...[0, 1, 2].map(() => youngAllocated(gc, step, STEPS) / STEPS));
    expect(perStep).toBeLessThan(MAX_BYTES_PER_STEP);
    expect(Number.isFinite(record.loss)).toBe(true);
    executor.dispose();
  });
});
