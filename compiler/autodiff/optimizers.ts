import type { OptimizerSpec } from '../train-config.js';
import type { Attrs } from '../ir/types.js';

/**
 * Each optimizer: its update kernel, its hyper-parameters as kernel attrs (the learning rate is not
 * among them: the executor passes it per step, so schedules need no recompilation), and its state
 * slots per parameter with their initial value.
 */
export interface OptimizerPlan {
  kernel: string;
  attrs: Attrs;
  slots: Array<{ name: string; init: number }>;
}

export function optimizerPlan(spec: OptimizerSpec): OptimizerPlan {
  switch (spec.kind) {
    case 'gd':
      return { kernel: 'gd_update', attrs: {}, slots: [] };
    case 'sgd':
      return { kernel: 'sgd_update', attrs: { momentum: spec.momentum, nesterov: spec.nesterov }, slots: [{ name: 'velocity', init: 0 }] };
    case 'adam':
      return { kernel: 'adam_update', attrs: { beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon }, slots: [{ name: 'm', init: 0 }, { name: 'v', init: 0 }] };
    case 'adamw':
      return {
        kernel: 'adamw_update',
        attrs: { beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon, weightDecay: spec.weightDecay },
        slots: [{ name: 'm', init: 0 }, { name: 'v', init: 0 }],
      };
    case 'adagrad':
      return { kernel: 'adagrad_update', attrs: { epsilon: spec.epsilon }, slots: [{ name: 'accum', init: spec.initialAccumulator }] };
    case 'rmsprop':
      return { kernel: 'rmsprop_update', attrs: { rho: spec.rho, epsilon: spec.epsilon, momentum: spec.momentum }, slots: [{ name: 'ms', init: 0 }, { name: 'mom', init: 0 }] };
  }
}
