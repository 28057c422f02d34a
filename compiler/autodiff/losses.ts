import type { LossSpec } from '../train-config.js';
import type { Attrs } from '../ir/types.js';

/**
 * The loss kernel for a checked loss: each returns the mean loss and its gradient w.r.t. pred. A
 * masked cross-entropy (`mask:`) is the `masked_` form of its kernel, with the mask as a third input.
 */
export function lossKernel(loss: Pick<LossSpec, 'kind' | 'fromLogits' | 'sparse' | 'delta' | 'smoothing' | 'classWeights'>, masked = false): { kernel: string; attrs: Attrs } {
  const chosen = unmaskedKernel(loss);
  return masked ? { ...chosen, kernel: `masked_${chosen.kernel}` } : chosen;
}

function unmaskedKernel(loss: Pick<LossSpec, 'kind' | 'fromLogits' | 'sparse' | 'delta' | 'smoothing' | 'classWeights'>): { kernel: string; attrs: Attrs } {
  const label: Attrs = { ...(loss.smoothing > 0 ? { smoothing: loss.smoothing } : {}), ...(loss.classWeights ? { classWeights: [...loss.classWeights] } : {}) };
  switch (loss.kind) {
    case 'mse':
      return { kernel: 'mse_loss', attrs: {} };
    case 'mae':
      return { kernel: 'mae_loss', attrs: {} };
    case 'huber':
      return { kernel: 'huber_loss', attrs: { delta: loss.delta } };
    case 'kl_divergence':
      return { kernel: 'kl_divergence_loss', attrs: {} };
    case 'binary_cross_entropy':
      return { kernel: loss.fromLogits ? 'sigmoid_binary_cross_entropy_loss' : 'binary_cross_entropy_loss', attrs: label };
    case 'cross_entropy':
      if (loss.sparse) return { kernel: loss.fromLogits ? 'sparse_softmax_cross_entropy_loss' : 'sparse_cross_entropy_loss', attrs: label };
      return { kernel: loss.fromLogits ? 'softmax_cross_entropy_loss' : 'cross_entropy_loss', attrs: label };
  }
}
