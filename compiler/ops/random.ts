import { perSampleSize } from '../shapes/dims.js';
import { tensorParam } from './common.js';
import { expects, ok, type OpDef, type ParamDef } from './types.js';

/**
 * random_normal(x, mean, std) and random_uniform(x, low, high): a tensor shaped like x (its values
 * unused) of fresh samples at every training step, reproducible from the run's seed; in inference
 * the distribution's mean unless `inference: true`. The VAE's reparameterisation is
 * `z = mu + exp(0.5 * logvar) * random_normal(mu)`: gradients reach mu and logvar through the
 * arithmetic, none flows into the sample.
 *
 * IR form: inputs [x]; attrs { dist, a, b, inference } (a, b: mean and std, or low and high).
 */
const inference: ParamDef = {
  name: 'inference',
  kind: 'bool',
  doc: 'Also sample in inference (nnet run); otherwise inference gives the mean.',
  default: false,
  namedOnly: true,
};

export const randomNormal: OpDef = {
  name: 'random_normal',
  category: 'layer',
  doc: 'Samples from a normal distribution, shaped like x, fresh at every training step (the mean in inference unless inference: true).',
  params: [
    tensorParam('x', 'The tensor whose shape the sample takes (its values are not read).'),
    { name: 'mean', kind: 'number', doc: 'The mean.', default: 0 },
    { name: 'std', kind: 'number', doc: 'The standard deviation (≥ 0).', default: 1, min: 0 },
    inference,
  ],
  shapeRule: 'unchanged (float)',
  irForm: 'inputs [x]; attrs { dist: normal, a: mean, b: std, inference }',
  infer: ({ inputs: [x] }) => ok(x!.shape),
  attrs: (call) => ({ dist: 'normal', a: call.args.mean as number, b: call.args.std as number, inference: call.args.inference === true }),
  flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
};

export const randomUniform: OpDef = {
  name: 'random_uniform',
  category: 'layer',
  doc: 'Samples uniformly from [low, high), shaped like x, fresh at every training step (the mean in inference unless inference: true).',
  params: [
    tensorParam('x', 'The tensor whose shape the sample takes (its values are not read).'),
    { name: 'low', kind: 'number', doc: 'The lower bound.', default: 0 },
    { name: 'high', kind: 'number', doc: 'The upper bound (excluded).', default: 1 },
    inference,
  ],
  shapeRule: 'unchanged (float)',
  irForm: 'inputs [x]; attrs { dist: uniform, a: low, b: high, inference }',
  infer: ({ inputs: [x], args }) => ((args.high as number) < (args.low as number) ? expects('high ≥ low', { actual: `low ${String(args.low)}, high ${String(args.high)}` }) : ok(x!.shape)),
  attrs: (call) => ({ dist: 'uniform', a: call.args.low as number, b: call.args.high as number, inference: call.args.inference === true }),
  flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
};
