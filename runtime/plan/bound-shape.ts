import { evalDim } from './dims.js';
import { PlanError } from './errors.js';
import type { Plan, PlanStep, PlanTensor } from './format.js';
import { stridedBoundsProblem } from './shape-families.js';

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

/**
 * The axes of a strided_read's input (a strided_write's output) whose size is fixed but whose
 * window a symbolic dim sizes or places: a position table's [max_len, d] read for `seq` rows.
 * Whether such a window fits depends on the binding, so the plan validator proves the rest of the
 * map and leaves these axes to checkBoundMaps. Empty for every other step.
 */
export function boundAxes(step: PlanStep, shapeOf: (tensor: string) => ReadonlyArray<number | string> | undefined): number[] {
  if (step.kernel !== 'strided_read' && step.kernel !== 'strided_write') return [];
  const x = shapeOf(step.inputs[0]!);
  const shape = step.attrs.shape as Array<number | string>;
  const starts = step.attrs.starts as Array<number | string>;
  const axes = step.attrs.axes as number[];
  if (!x || !Array.isArray(shape) || !Array.isArray(starts) || !Array.isArray(axes)) return [];
  const [big, small] = step.kernel === 'strided_read' ? [x, shape] : [shape, x];
  return big.flatMap((d, i) => {
    const k = axes.indexOf(i);
    return typeof d === 'number' && (typeof starts[i] === 'string' || (k !== -1 && typeof small[k] === 'string')) ? [i] : [];
  });
}

/**
 * The bounds of the strided maps whose windows symbolic dims size (boundAxes), for the bound dims:
 * whether `seq` rows fit a position_embedding's [max_len, d] table is known only now. A window
 * outside its tensor is the user's input error (NNR1018), found before any step runs.
 */
export function checkBoundMaps(plan: Plan, dims: Readonly<Record<string, number>>): void {
  const shapes = new Map(plan.tensors.map((t) => [t.name, t.shape]));
  for (const step of [...plan.forward, ...plan.backward]) {
    if (boundAxes(step, (name) => shapes.get(name)).length === 0) continue;
    const x = shapes.get(step.inputs[0]!)!.map((d) => evalDim(d, dims));
    const shape = (step.attrs.shape as Array<number | string>).map((d) => evalDim(d, dims));
    const starts = (step.attrs.starts as Array<number | string>).map((d) => evalDim(d, dims));
    const [big, small] = step.kernel === 'strided_read' ? [x, shape] : [shape, x];
    const problem = stridedBoundsProblem(big, small, step.attrs.axes as number[], starts, step.attrs.steps as number[]);
    if (problem === null) continue;
    const bound = Object.entries(dims).map(([name, v]) => `${name} = ${v}`).join(', ');
    const layer = step.source ? `'${step.source.layer}' (${step.source.op}, line ${step.source.line})` : `step ${step.kernel}`;
    const hint = step.source?.op === 'position_embedding' ? ': the sequence is longer than its max_len' : '';
    throw new PlanError('NNR1018', `the inputs bind ${bound}, with which ${layer} reads [${big.join(', ')}] outside its bounds (${problem})${hint}`);
  }
}
