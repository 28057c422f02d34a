import { describe, expect, it } from 'vitest';
import { checkSource, compileModel } from '../../../compiler/index.js';
import { PlanError } from '../../../runtime/plan/errors.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { validatePlan } from '../../../runtime/plan/validate.js';

/** The plan validator on the math and axis-map steps: an unknown op, reduce axes and a read outside x are refused. */
function plan(): Plan {
  const text = 'model M {\n  input x: [batch, 4, 3]\n  output y = sum(exp(x[:, 1:, ::-1]), axis: -1)\n}\n';
  const check = checkSource(text, { path: 'm.nnet' });
  return compileModel(check, 'M', { target: 'cpu', fuse: true, training: false }).plan!;
}

function refusal(change: (doc: Plan) => void): string {
  const doc = JSON.parse(JSON.stringify(plan())) as Plan;
  change(doc);
  try {
    validatePlan(doc);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).message;
  }
  throw new Error('expected a PlanError');
}

const step = (doc: Plan, kernel: string) => doc.forward.find((s) => s.kernel === kernel)!;

describe('plan validation of math and axis-map steps', () => {
  it('accepts the compiled plan', () => {
    expect(plan().forward.map((s) => s.kernel)).toEqual(['strided_read', 'unary', 'reduce']);
    expect(() => validatePlan(JSON.parse(JSON.stringify(plan())))).not.toThrow();
  });

  it('refuses an op the kernel does not have', () => {
    expect(refusal((d) => (step(d, 'unary').attrs.op = 'evil'))).toMatch(/unary op 'evil' is not one of affine, reciprocal/);
    expect(refusal((d) => (step(d, 'reduce').attrs.op = 'median'))).toMatch(/reduce op 'median' is not one of sum, mean, max, min/);
  });

  it('refuses reduce axes outside x and a strided read outside x', () => {
    expect(refusal((d) => (step(d, 'reduce').attrs.axes = [3]))).toMatch(/reduce axes \[3\] are outside/);
    expect(refusal((d) => ((step(d, 'strided_read').attrs.starts as number[])[1] = 2))).toMatch(/axis 1 reads 2\.\.4, outside 0\.\.3/);
  });
});
