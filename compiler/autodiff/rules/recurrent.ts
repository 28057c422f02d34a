import { perScan, type RecurrentCellName } from '../../../runtime/plan/kernels.js';
import type { GradRule } from '../grad-rule.js';

/** The scans: one BPTT kernel per cell gives dxw and dw_hh (and db_hh, with a recurrent bias) from dy and the saved states (output 1). */
function scanGrad(cell: RecurrentCellName): GradRule {
  return (b, node, dy) => {
    const [, wHh, recurrentBias] = node.inputs as [number, number, number | undefined];
    const grad = b.add(`${cell}_scan_grad`, [dy, wHh, b.outputOf(node.id, 1)], node.attrs, node.origin);
    return [grad, b.outputOf(grad, 1), ...(recurrentBias !== undefined ? [b.outputOf(grad, 2)] : [])];
  };
}

export const recurrentGrads = perScan(scanGrad);
