import { describe, expect, it } from 'vitest';
import { bindDataset, feeds } from '../../../runtime/data/bind.js';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { DataError } from '../../../runtime/data/errors.js';
import type { Plan } from '../../../runtime/plan/format.js';

function planWith(inputShape: (number | string)[], labelShape: (number | string)[], labelDtype: 'f32' | 'i32' = 'i32'): Plan {
  return {
    format: 'nnet-plan',
    version: 1,
    target: 'cpu',
    model: 'M',
    dims: { batch: null },
    tensors: [
      { name: 'image', shape: inputShape, dtype: 'f32', role: 'input' },
      { name: 'target', shape: labelShape, dtype: labelDtype, role: 'label' },
    ],
    inputs: ['image'],
    labels: ['target'],
    outputs: [],
    forward: [],
    backward: [],
    update: [],
    training: null,
    memory: null,
    programs: {},
    weights: null,
  };
}

const data = makeDataset(
  {
    pixels: { shape: [2, 2, 2], dtype: 'i32', data: Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8) },
    label: { shape: [2], dtype: 'i32', data: Int32Array.of(1, 0) },
  },
  'label',
);

describe('binding dataset fields to model inputs', () => {
  it('features feed the first input and labels the loss target when names differ; shapes and dtypes conform', () => {
    const plan = planWith(['batch', 4], ['batch', 1], 'f32');
    const binding = bindDataset(plan, data, true);
    expect(binding.map((b) => [b.field, b.tensor.name])).toEqual([
      ['label', 'target'],
      ['pixels', 'image'],
    ]);
    const f = feeds(binding, data, plan);
    expect(f.image!.shape).toEqual([2, 4]);
    expect(f.image!.dtype).toBe('f32');
    expect(f.target!.shape).toEqual([2, 1]);
    expect(Array.from(f.target!.data)).toEqual([1, 0]);
  });

  it('binds by name when names match', () => {
    const named = makeDataset({ target: data.fields.label!, image: data.fields.pixels!, extra: data.fields.label! });
    const binding = bindDataset(planWith(['batch', 2, 2], ['batch']), named, true);
    expect(binding.map((b) => b.field).sort()).toEqual(['image', 'target']);
  });

  it('reports a shape mismatch with NNR5005 naming both shapes', () => {
    try {
      bindDataset(planWith(['batch', 3], ['batch']), data, true);
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(DataError);
      expect((err as DataError).code).toBe('NNR5005');
      expect((err as DataError).message).toBe("field 'pixels' has samples of shape [2, 2], but input 'image' needs [3]");
    }
  });

  it('reports a missing label field; inference does not need one', () => {
    const unlabelled = makeDataset({ pixels: data.fields.pixels! });
    expect(() => bindDataset(planWith(['batch', 4], ['batch']), unlabelled, true)).toThrow(/no field for 'target'/);
    expect(bindDataset(planWith(['batch', 4], ['batch']), unlabelled, false)).toHaveLength(1);
  });

  it('rejects fractional values for an int label', () => {
    const fractional = makeDataset({ x: data.fields.pixels!, label: { shape: [2], dtype: 'f32', data: Float32Array.of(0.5, 1) } }, 'label');
    expect(() => bindDataset(planWith(['batch', 4], ['batch']), fractional, true)).toThrow(/holds 0.5/);
  });
});
