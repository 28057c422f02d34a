import { perScan, type RecurrentCellName } from '../../../runtime/plan/kernels.js';
import type { GradRule } from '../grad-rule.js';

/** The scans: one BPTT kernel per cell gives dxw and dw_hh from dy and the saved states (output 1). */
function scanGrad(cell: RecurrentCellName): GradRule {
  return (b, node, dy) => {
    const [, wHh] = node.inputs as [number, number];
    const grad = b.add(`${cell}_scan_grad`, [dy, wHh, b.outputOf(node.id, 1)], node.attrs, node.origin);
    return [grad, b.outputOf(grad, 1)];
  };
}

export const recurrentGrads = perScan(scanGrad);
