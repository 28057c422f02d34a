import { expect } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { LossSpec, TrainConfig } from '../../../compiler/train-config.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';

/**
 * Finite-difference gradient check through the whole stack (lowering, autodiff, passes, plan, CPU
 * kernels): the analytic gradient of every parameter, read from the plan's gradient tensors after a
 * training step with learning rate 0, against central differences of the loss computed by the same
 * plan. Float32 arithmetic: eps = 1e-2 (1e-3 on smooth losses would drown in rounding of ~1e-7·|loss|/eps),
 * tolerance |fd − analytic| ≤ atol + rtol·|analytic| with atol = 2e-3, rtol = 2e-2 unless stated.
 * Inputs are drawn deterministically; sparse labels from the number of classes.
 */
export interface GradCase {
  graph: Pick<LayerGraph, 'graph'>;
  loss: Partial<LossSpec> & Pick<LossSpec, 'kind' | 'pred' | 'target'>;
  /** Number of classes for i32 labels. */
  classes?: number;
  /** Target values: 'probabilities' normalises rows, 'binary' gives 0/1. */
  targets?: 'real' | 'probabilities' | 'binary';
  regularize?: { l1: number; l2: number };
  /** Several weighted loss terms (the loss expression); `loss` is then only the first loss's defaults. */
  terms?: TrainConfig['losses'];
  eps?: number;
  atol?: number;
  rtol?: number;
  fuse?: boolean;
  /** Checked entries per parameter (spread over the tensor). */
  samples?: number;
  /** Inputs fed as given instead of drawn (a mask of padding, say). */
  feeds?: Record<string, HostTensor>;
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export async function gradCheck(c: GradCase): Promise<{ checked: number; maxError: number }> {
  const config = trainConfig(c.loss, { kind: 'gd', lr: 0 }, { ...(c.regularize ? { regularize: c.regularize } : {}), ...(c.terms ? { losses: c.terms } : {}) });
  const { plan, weights } = compileGraph(c.graph.graph, 'GradCheck', config, { target: 'cpu', fuse: c.fuse ?? true, training: true, verify: true });
  const executor = new CpuExecutor(plan!, weights);
  const next = random(42);
  const feeds: Record<string, HostTensor> = {};
  for (const input of c.graph.graph.inputs) {
    const given = c.feeds?.[input.name];
    if (given) {
      feeds[input.name] = given;
      continue;
    }
    const node = c.graph.graph.nodes[input.node]!;
    const shape = node.type.shape.map((d) => (typeof d === 'number' ? d : 3));
    const size = shape.reduce((a, b) => a * b, 1);
    if (node.type.dtype === 'i32') {
      const classes = c.classes ?? 4;
      feeds[input.name] = { shape, dtype: 'i32', data: Int32Array.from({ length: size }, () => Math.floor(next() * classes)) };
      continue;
    }
    const data = Float32Array.from({ length: size }, () => next() * 2 - 1);
    if (input.labelOnly && c.targets === 'binary') data.forEach((v, i) => (data[i] = v > 0 ? 1 : 0));
    if (input.labelOnly && c.targets === 'probabilities') {
      const cols = shape[shape.length - 1]!;
      for (let r = 0; r < size; r += cols) {
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += (data[r + j] = Math.abs(data[r + j]!) + 0.1);
        for (let j = 0; j < cols; j++) data[r + j]! /= sum;
      }
    }
    feeds[input.name] = { shape, dtype: 'f32', data };
  }
  const lossAt = async (): Promise<number> => (await executor.trainStep(feeds, { lr: 0, seed: 7 })).loss;
  await lossAt();
  const gradNames = executor.gradientNames();
  const params = await executor.getWeights();
  const eps = c.eps ?? 1e-2;
  const atol = c.atol ?? 2e-3;
  const rtol = c.rtol ?? 2e-2;
  let checked = 0;
  let maxError = 0;
  for (const [name, gradName] of gradNames) {
    await lossAt();
    const analytic = executor.readTensor(gradName)!.data;
    const value = params.get(name);
    if (!value) throw new Error(`no weight ${name}; have ${[...params.keys()].join(", ")}; grads ${[...gradNames].join(" ")}`);
    const samples = Math.min(c.samples ?? 6, value.data.length);
    for (let s = 0; s < samples; s++) {
      const index = Math.floor((s * value.data.length) / samples);
      const original = value.data[index]!;
      value.data[index] = original + eps;
      await executor.setWeights(new Map([[name, value]]));
      const plus = await lossAt();
      value.data[index] = original - eps;
      await executor.setWeights(new Map([[name, value]]));
      const minus = await lossAt();
      value.data[index] = original;
      await executor.setWeights(new Map([[name, value]]));
      const numeric = (plus - minus) / (2 * eps);
      const error = Math.abs(numeric - analytic[index]!);
      maxError = Math.max(maxError, error);
      expect(error, `d loss / d ${name}[${index}]: finite difference ${numeric}, autodiff ${analytic[index]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(numeric));
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(0);
  return { checked, maxError };
}
