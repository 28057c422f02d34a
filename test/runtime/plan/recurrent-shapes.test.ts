import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { compileModel } from '../../../compiler/compile.js';
import { validatePlan } from '../../../runtime/plan/validate.js';

/** An LSTM plan (training, so the scan's `saved` output is a tensor of the plan). */
function lstmPlan() {
  const text = 'model M {\n  input x: [batch, 5, 3]\n  input t: [batch, 1]\n  output y = lstm(x, 4) |> dense(1)\n  train { loss mse(y, t) }\n}\n';
  const { plan } = compileModel(checkSource(text), 'M', { target: 'cpu', fuse: true, training: true });
  return structuredClone(plan!);
}

describe('plan validation of a recurrence', () => {
  it('accepts the compiled saved tensor: 6 values per unit and step for an LSTM', () => {
    const plan = lstmPlan();
    const scan = plan.forward.find((s) => s.kernel === 'lstm_scan')!;
    expect(plan.tensors.find((t) => t.name === scan.outputs[1])!.shape).toEqual(['batch', 5, 24]);
    expect(() => validatePlan(plan)).not.toThrow();
  });

  it('refuses a saved tensor of another layout (NNR1015)', () => {
    const plan = lstmPlan();
    const scan = plan.forward.find((s) => s.kernel === 'lstm_scan')!;
    plan.tensors.find((t) => t.name === scan.outputs[1])!.shape = ['batch', 5, 20];
    expect(() => validatePlan(plan)).toThrow(expect.objectContaining({ code: 'NNR1015' }));
  });
});
