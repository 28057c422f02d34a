import { formatShape, perSampleSize } from '../shapes/dims.js';
import {
  activationAttr, activationFlops, activationOf, activationParam, GLOROT, hasWeight, int, weightTrainingParams,
  tensorParam, unitsParam, weightParam, ZEROS,
} from './common.js';
import { expects, ok, type OpDef } from './types.js';

/**
 * dense(x, units, activation = linear, weight: = glorot_uniform, bias: = zeros | false, l1:, l2:)
 *
 * Shape: [batch, in] → [batch, units]; also [batch, seq, in] → [batch, seq, units] when `seq` is a
 * symbolic dim (a sequence). A rank-3 input with a fixed second axis ([batch, 28, 28]) is almost
 * always an image that should be flattened first, so it is an error with that fix.
 *
 * IR form: inputs [x, weight [units, in], bias [units]] (bias absent with `bias: false`);
 * attrs { units, activation } where activation is a name or { name, alpha }.
 */
export const dense: OpDef = {
  name: 'dense',
  category: 'layer',
  doc: 'Fully connected layer: y = activation(x · weightᵀ + bias), over the last axis.',
  params: [
    tensorParam(),
    unitsParam('units', 'Number of output features.'),
    activationParam,
    weightParam('weight', 'The [units, in] weight matrix.', GLOROT),
    weightParam('bias', 'The [units] bias.', ZEROS, true),
    ...weightTrainingParams,
  ],
  shapeRule: '[batch, in] → [batch, units]; [batch, seq, in] → [batch, seq, units] when seq is symbolic (flatten images first)',
  irForm: 'inputs [x, weight [units, in], bias [units]?]; attrs { units, activation }',
  infer({ inputs: [x], args }) {
    const shape = x!.shape;
    if (x!.dtype !== 'f32') return expects('float input', { actual: `${formatShape(shape)} int` });
    const sequence = shape.length === 3 && typeof shape[1] === 'string';
    if (shape.length !== 2 && !sequence) {
      return expects('[batch, features]', shape.length > 2 ? { insertBefore: 'flatten' } : {});
    }
    if (typeof shape[shape.length - 1] !== 'number') return expects('a known number of features in the last axis');
    return ok([...shape.slice(0, -1), args.units as number]);
  },
  weights(call) {
    const inFeatures = call.inputs[0]!.shape.at(-1) as number;
    const units = int(call, 'units');
    const weights = [{ name: 'weight', shape: [units, inFeatures], init: GLOROT, trainable: true, regularized: true }];
    if (hasWeight(call, 'bias')) weights.push({ name: 'bias', shape: [units], init: ZEROS, trainable: true, regularized: false });
    return weights;
  },
  attrs: (call) => ({ units: int(call, 'units'), activation: activationAttr(activationOf(call)) }),
  flops(call, out) {
    const rows = perSampleSize(out.shape.slice(0, -1).concat([1]));
    const inFeatures = call.inputs[0]!.shape.at(-1) as number;
    const units = int(call, 'units');
    if (rows === null) return null;
    return rows * units * (2 * inFeatures + 1 + activationFlops(activationOf(call).name));
  },
};
