import { ACTIVATION_NAMES } from '../../../../runtime/plan/activations.js';
import type { PlanStep, PlanTensor } from '../../../../runtime/plan/format.js';
import { OP_CASES, type OpCase } from '../../../runtime/webgpu/op-cases.js';
import { withShape } from '../../../runtime/webgpu/op-plan.js';

/**
 * Every WGSL variant the emitter can produce, as (step, tensors) pairs: each op case of the op suite
 * with concrete shapes and again with a symbolic `batch` leading dim, plus every matmul epilogue
 * (bias or not, each activation, with and without the `pre` output) in both variants (tiled and
 * direct) and every transpose combination.
 */
export interface Variant {
  name: string;
  step: PlanStep;
  tensors: Map<string, PlanTensor>;
}

function fromCase(c: OpCase, symbolic: boolean): Variant {
  const lead = c.inputs[0]?.shape[0];
  const dim = (shape: number[], stored: boolean) =>
    symbolic && !stored && shape.length >= 2 && shape[0] === lead ? ['batch', ...shape.slice(1)] : shape;
  const tensors = new Map<string, PlanTensor>();
  const inputs = c.inputs.map((spec, i) => {
    const name = `in${i}`;
    const stored = spec.role !== undefined && spec.role !== 'input';
    tensors.set(name, { name, shape: dim(spec.shape, stored), dtype: spec.dtype ?? 'f32', role: spec.role ?? 'input' });
    return name;
  });
  const outputs = c.mode === 'update' ? [inputs[0]!, ...inputs.slice(2)] : c.outputs.map((shape, i) => {
    const name = `out${i}`;
    tensors.set(name, { name, shape: dim(shape, false), dtype: 'f32', role: 'activation' });
    return name;
  });
  return { name: `${c.name}${symbolic ? ' [batch]' : ''}`, step: { kernel: c.kernel, inputs, outputs, attrs: withShape(c) }, tensors };
}

const ACTS = ACTIVATION_NAMES;

function matmulVariants(): Variant[] {
  const variants: Variant[] = [];
  for (const [m, n, k] of [[4, 3, 5], ['batch', 128, 96]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const bias of [false, true]) {
          for (const act of [null, ...ACTS]) {
            for (const pre of act ? [false, true] : [false]) {
              const tensors = new Map<string, PlanTensor>();
              const add = (name: string, shape: Array<number | string>) => tensors.set(name, { name, shape, dtype: 'f32', role: 'activation' });
              add('a', transA ? [k, m] : [m, k]);
              add('b', transB ? [n, k] : [k, n]);
              add('bias', [n]);
              add('y', [m, n]);
              add('pre', [m, n]);
              const kernel = ['matmul', ...(bias ? ['bias'] : []), ...(act ? [act] : [])].join('+');
              variants.push({
                name: `${kernel} ${m}x${n}x${k} transA=${transA} transB=${transB} pre=${pre}`,
                step: { kernel, inputs: ['a', 'b', ...(bias ? ['bias'] : [])], outputs: ['y', ...(pre ? ['pre'] : [])], attrs: { transA, transB } },
                tensors,
              });
            }
          }
        }
      }
    }
  }
  return variants;
}

export function allVariants(): Variant[] {
  return [...OP_CASES.flatMap((c) => [fromCase(c, false), fromCase(c, true)]), ...matmulVariants()];
}
