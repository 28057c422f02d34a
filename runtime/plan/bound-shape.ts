import { evalDim } from './dims.js';
import { PlanError } from './errors.js';
import type { PlanTensor } from './format.js';

/**
 * A tensor's shape for the dims its inputs bound. A computed dim (`seq-8`, `floor((len-3)/2)+1`)
 * below 1 means an input is too short for the model's windows — seq 7 through two width-5
 * convolutions — and is the user's input error (NNR1017), not a typed-array RangeError mid-step.
 * A dim that is one name is an input's own size and may be 0 (an empty batch).
 */
export function boundShape(tensor: PlanTensor, dims: Readonly<Record<string, number>>): number[] {
  return tensor.shape.map((d) => {
    const value = evalDim(d, dims);
    if (typeof d === 'string' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d) && !(value >= 1)) {
      const bound = Object.entries(dims)
        .map(([name, v]) => `${name} = ${v}`)
        .join(', ');
      throw new PlanError(
        'NNR1017',
        `the inputs bind ${bound}, which leaves '${tensor.name}' with ${value} along '${d}': an input is too short for this model (make it longer so that ${d} ≥ 1)`,
      );
    }
    return value;
  });
}
