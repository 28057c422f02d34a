import { TRAIN_DEFAULTS } from '../../runtime/plan/train-settings.js';
import type { SettingDef } from './settings-types.js';
import type { ParamDef } from './types.js';

/** Optimizers: `optimizer NAME(lr: ..., ...)`. Defaults follow Keras. */

function lr(value: number): ParamDef {
  return { name: 'lr', kind: 'number', doc: 'Learning rate (> 0).', default: value, min: 0, minExclusive: true };
}

const beta = (name: string, value: number, what: string): ParamDef => ({
  name,
  kind: 'number',
  doc: `${what}, in [0, 1).`,
  default: value,
  min: 0,
  max: 1,
  maxExclusive: true,
});

const epsilon: ParamDef = { name: 'epsilon', kind: 'number', doc: 'Added to denominators for stability.', default: 1e-7, min: 0, minExclusive: true };
const momentum: ParamDef = { name: 'momentum', kind: 'number', doc: 'Velocity decay, in [0, 1).', default: 0, min: 0, max: 1, maxExclusive: true };

const ADAM = TRAIN_DEFAULTS.optimizer;

export const OPTIMIZERS: readonly SettingDef[] = [
  { name: 'gd', kind: 'optimizer', doc: 'Plain gradient descent: p −= lr·g.', params: [lr(0.01)] },
  {
    name: 'sgd',
    kind: 'optimizer',
    doc: 'Stochastic gradient descent with optional (Nesterov) momentum.',
    params: [lr(0.01), momentum, { name: 'nesterov', kind: 'bool', doc: 'Nesterov momentum.', default: false }],
  },
  {
    name: 'adam',
    kind: 'optimizer',
    // The default optimizer: a train section without one gets adam with exactly these defaults.
    doc: 'Adam: adaptive moments with bias correction.',
    params: [
      lr(ADAM.lr),
      beta('beta1', ADAM.beta1, 'First-moment decay'),
      beta('beta2', ADAM.beta2, 'Second-moment decay'),
      { ...epsilon, default: ADAM.epsilon },
    ],
  },
  {
    name: 'adamw',
    kind: 'optimizer',
    doc: 'Adam with decoupled weight decay.',
    params: [
      lr(0.001),
      beta('beta1', 0.9, 'First-moment decay'),
      beta('beta2', 0.999, 'Second-moment decay'),
      epsilon,
      { name: 'weight_decay', kind: 'number', doc: 'Decoupled decay per step (≥ 0).', default: 0.004, min: 0 },
    ],
  },
  {
    name: 'adagrad',
    kind: 'optimizer',
    doc: 'Adagrad: per-parameter rates from the sum of squared gradients.',
    params: [lr(0.001), epsilon, { name: 'initial_accumulator', kind: 'number', doc: 'Starting accumulator value (≥ 0).', default: 0.1, min: 0 }],
  },
  {
    name: 'rmsprop',
    kind: 'optimizer',
    doc: 'RMSprop: rates from a moving average of squared gradients.',
    params: [lr(0.001), beta('rho', 0.9, 'Moving-average decay'), epsilon, momentum],
  },
];
