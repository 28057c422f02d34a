import { DimError, evalDim } from './dims.js';
import type { Plan, PlanStep } from './format.js';
import { kernelSpec, parseKernelName, POOL_EPILOGUE, type KernelName } from './kernels.js';
import { boundAxes } from './bound-shape.js';
import { NUMBER_DIMS, pooledEpilogueOutputOf, stridedBoundsProblem } from './shape-families.js';
import { expectationText, meets, SHAPE_RULES, STRIDED_STRUCTURE_RULES, type Expectation, type Shape } from './shape-rules.js';

/**
 * The second half of plan validation (runtime/plan/validate.ts runs it on a structurally valid
 * plan): shapes are proved, not trusted. Every tensor's dims must evaluate to whole, non-negative
 * numbers, and every step's outputs must be what its kernel makes of its inputs (shape-rules.ts).
 *
 * Symbolic dims cannot be compared as text (`batch*2` and `2*batch`), so the proof evaluates the
 * plan at two sets of probe values, primes that no dim expression of the compiler divides
 * (`batch/3` is a fraction at 61, `batch-5` is fine there but refused at run time if negative).
 * A plan that is right at both is right for the shapes the compiler writes: products, sums,
 * ceil/floor of quotients of the symbolic dims.
 */
const PROBES = [
  [61, 67, 71, 73, 79, 83, 89, 97],
  [101, 103, 107, 109, 113, 127, 131, 137],
] as const;

type Report = (code: string, message: string) => void;

export function checkPlanShapes(plan: Plan, outerReport: Report): void {
  let found = 0;
  const report: Report = (code, message) => {
    found++;
    outerReport(code, message);
  };
  for (const probe of PROBES) {
    if (found > 0) return; // the second probe would repeat the first one's findings
    const bindings: Record<string, number> = Object.create(null) as Record<string, number>;
    Object.keys(plan.dims).forEach((name, i) => {
      const fixed = plan.dims[name];
      bindings[name] = typeof fixed === 'number' ? fixed : probe[i % probe.length]! + 2 * probe.length * Math.floor(i / probe.length);
    });
    const at = Object.entries(bindings)
      .filter(([name]) => plan.dims[name] === null)
      .map(([name, value]) => `${name} = ${value}`)
      .join(', ');
    const shapes = new Map<string, Shape>();
    const planShapes = new Map(plan.tensors.map((t) => [t.name, t.shape]));
    let broken = false;
    for (const tensor of plan.tensors) {
      const shape: number[] = [];
      for (const d of tensor.shape) {
        const value = evaluate(d, bindings, `tensor '${tensor.name}'`, report);
        if (value === undefined) broken = true;
        else if (!Number.isSafeInteger(value) || value < 0) {
          report('NNR1013', `tensor '${tensor.name}': dim ${JSON.stringify(d)} is ${value} when ${at || 'the dims are fixed'}; dims must be whole numbers ≥ 0`);
          broken = true;
        } else shape.push(value);
      }
      if (shape.length === tensor.shape.length) shapes.set(tensor.name, shape);
    }
    if (broken) return;
    const evalDims = (dims: readonly (number | string)[]): Shape => dims.map((d) => evaluate(d, bindings, 'attribute', report) ?? NaN);
    for (const phase of ['forward', 'backward', 'update'] as const) {
      plan[phase].forEach((step, i) => checkStep(step, `${phase} step ${i} (${step.kernel})`, shapes, evalDims, report, planShapes));
    }
  }
}

/** A strided map's rule with the bounds of the `deferred` axes left to checkBoundMaps. */
function stridedWithout(step: PlanStep, [x]: readonly Shape[], evalDims: (dims: readonly (number | string)[]) => Shape, deferred: readonly number[]): Expectation[] | string {
  const structure = STRIDED_STRUCTURE_RULES[step.kernel as 'strided_read' | 'strided_write']([x!], step.attrs, evalDims);
  if (typeof structure === 'string' || !x) return structure;
  const shape = evalDims(step.attrs.shape as Array<number | string>);
  const [big, small] = step.kernel === 'strided_read' ? [x, shape] : [shape, x];
  return stridedBoundsProblem(big, small, step.attrs.axes as number[], evalDims(step.attrs.starts as Array<number | string>), step.attrs.steps as number[], deferred) ?? structure;
}

function checkStep(step: PlanStep, where: string, shapes: Map<string, Shape>, evalDims: (dims: readonly (number | string)[]) => Shape, report: Report, planShapes: Map<string, ReadonlyArray<number | string>>): void {
  const { base, epilogue } = parseKernelName(step.kernel);
  if (!kernelSpec(base)) return;
  const inputs = step.inputs.map((name) => shapes.get(name) ?? []);
  const baseCount = inputs.length - (epilogue.includes('bias') ? 1 : 0);
  // A strided window that a symbolic dim sizes on a fixed axis fits only some bindings (a position
  // table's first seq rows): the rest of its map is proved here, those axes once bound (bound-shape.ts).
  const deferred = boundAxes(step, (name) => planShapes.get(name));
  const unpooled = deferred.length > 0 ? stridedWithout(step, inputs, evalDims, deferred) : SHAPE_RULES[base as KernelName](inputs.slice(0, baseCount), step.attrs, evalDims);
  if (typeof unpooled === 'string') return report('NNR1015', `${where}: ${unpooled}`);
  const expected = epilogue.includes(POOL_EPILOGUE) ? pooledExpectation(unpooled, step.attrs.pool) : unpooled;
  if (epilogue.includes('bias')) {
    const bias = inputs[baseCount] ?? [];
    const y = shapes.get(step.outputs[0] ?? '');
    const features = y?.[y.length - 1];
    if (features !== undefined && bias.reduce((a, b) => a * b, 1) !== features) report('NNR1015', `${where}: the bias has ${bias.reduce((a, b) => a * b, 1)} values, the output's last axis ${features}`);
  }
  step.outputs.forEach((name, i) => {
    const want = expected[i];
    const actual = shapes.get(name);
    if (!want || !actual || meets(actual, want)) return;
    report('NNR1015', `${where}: output '${name}' is declared [${actual.join(', ')}], but the kernel makes ${expectationText(want)} from its inputs`);
  });
}

/** The pooling epilogue's y: the kernel's y pooled by `pool` (validate.ts checked it is [ph, pw] ≥ 1). */
function pooledExpectation([y]: readonly Expectation[], pool: PlanStep['attrs'][string] | undefined): Expectation[] {
  if (!y || !('shape' in y) || y.shape.length !== 4 || !Array.isArray(pool)) return [null];
  return [{ shape: pooledEpilogueOutputOf(y.shape, pool as number[], NUMBER_DIMS) }];
}

function evaluate(d: number | string, bindings: Record<string, number>, what: string, report: Report): number | undefined {
  try {
    return evalDim(d, bindings);
  } catch (error) {
    if (!(error instanceof DimError)) throw error;
    report(error.tooDeep ? 'NNR1016' : 'NNR1013', `${what}: ${error.message}`);
    return undefined;
  }
}
