import { perMaskedScan, perScan, type RecurrentCellName } from '../../../runtime/plan/kernels.js';
import type { GradRule } from '../grad-rule.js';

/**
 * The scans: one BPTT kernel per cell gives dxw and dw_hh (and db_hh, with a recurrent bias) from dy
 * and the saved states (output 1). A masked scan's gradient kernel reads the mask too; the mask gets
 * no gradient.
 */
function scanGrad(cell: RecurrentCellName, masked: boolean): GradRule {
  return (b, node, dy) => {
    const mask = masked ? node.inputs[node.inputs.length - 1]! : undefined;
    const [, wHh] = node.inputs as [number, number];
    const hasRecurrentBias = node.inputs.length > (masked ? 3 : 2);
    const kernel = masked ? `${cell}_masked_scan_grad` : `${cell}_scan_grad`;
    const grad = b.add(kernel, [dy, wHh, b.outputOf(node.id, 1), ...(mask !== undefined ? [mask] : [])], node.attrs, node.origin);
    return [grad, b.outputOf(grad, 1), ...(hasRecurrentBias ? [b.outputOf(grad, 2)] : []), ...(masked ? [null] : [])];
  };
}

export const recurrentGrads: Record<string, GradRule> = {
  ...perScan((cell) => scanGrad(cell, false)),
  ...perMaskedScan((cell) => scanGrad(cell, true)),
  // A permutation of each row's steps that is its own inverse: dx = reverse_sequence(dy); no gradient to the mask.
  reverse_sequence: (b, node, dy) => [b.add('reverse_sequence', [dy, node.inputs[1]!], {}, node.origin), null],
  // A mask made weights (masked pooling): constant in x almost everywhere, no gradient.
  nonzero: () => [null],
};
