import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES } from '../../../runtime/plan/activations.js';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * dense and every activation, fused and unfused, against finite differences (tolerances in grad-check.ts).
 * Not step, as before: its gradient is zero, so nothing upstream of it would be checked.
 */
const ACTIVATIONS = [...ACTIVATION_NAMES.filter((a) => a !== 'step'), 'softmax'];

function mlp(activation: string): { graph: LayerGraph; pred: number; target: number } {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 5]);
  const h = g.dense('h', x, 6, activation);
  const y = g.dense('y', h, 3, null);
  g.output('y', y);
  const t = g.label('t', ['batch', 3]);
  return { graph: g, pred: y, target: t };
}

describe('gradients: dense + activations', () => {
  for (const activation of ACTIVATIONS) {
    for (const fuse of [true, false]) {
      it(`${activation} (fuse: ${fuse})`, async () => {
        const { graph, pred, target } = mlp(activation);
        const { checked } = await gradCheck({ graph, loss: { kind: 'mse', pred, target }, fuse });
        expect(checked).toBeGreaterThanOrEqual(21);
      });
    }
  }

  it('step has zero gradient below it, and dense without bias works', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const h = g.dense('h', x, 3, 'tanh', { bias: false });
    const y = g.dense('y', h, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t } });
  });
});

describe('the gradient check itself', () => {
  it('catches a wrong gradient kernel', async () => {
    const { registerCpuKernel } = await import('../../../runtime/cpu/index.js');
    const { activationKernels } = await import('../../../runtime/cpu/kernels/activations.js');
    const correct = activationKernels.tanh_grad!;
    registerCpuKernel('tanh_grad', (ctx, inputs, outputs, attrs) => {
      correct(ctx, inputs, outputs, attrs);
      const dx = outputs[0]!.data as Float32Array;
      for (let i = 0; i < dx.length; i++) dx[i]! *= 1.1;
    });
    try {
      const { graph, pred, target } = mlp('tanh');
      await expect(gradCheck({ graph, loss: { kind: 'mse', pred, target } })).rejects.toThrow(/finite difference/);
    } finally {
      registerCpuKernel('tanh_grad', correct);
    }
  });
});
