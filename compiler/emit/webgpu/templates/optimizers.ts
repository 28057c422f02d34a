import { f32Literal, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, inout, input } from './grid.js';

/**
 * Optimizer updates, in place (param and slots bound read_write), reading this step's learning rate
 * and the 1-based step count from the run-time uniform R. Formulas as runtime/plan/kernels.ts states.
 */

function num(step: StepShapes, name: string): string {
  return f32Literal(Number(step.attrs[name]));
}

const UPDATES: Record<string, (step: StepShapes) => { slots: string[]; code: string }> = {
  gd_update: () => ({ slots: [], code: 'param[i] -= R.lr * grad[i];' }),
  sgd_update: (step) => {
    const mom = num(step, 'momentum');
    const apply = step.attrs.nesterov === true ? `param[i] += ${mom} * v - R.lr * g;` : 'param[i] += v;';
    return { slots: ['velocity'], code: `let g = grad[i];\nlet v = ${mom} * velocity[i] - R.lr * g;\nvelocity[i] = v;\n${apply}` };
  },
  adam_update: (step) => ({ slots: ['m', 'v'], code: adamCode(step, false) }),
  adamw_update: (step) => ({ slots: ['m', 'v'], code: adamCode(step, true) }),
  adagrad_update: (step) => ({
    slots: ['accum'],
    code: `let g = grad[i];\nlet a = accum[i] + g * g;\naccum[i] = a;\nparam[i] -= R.lr * g / (sqrt(a) + ${num(step, 'epsilon')});`,
  }),
  rmsprop_update: (step) => {
    const rho = num(step, 'rho');
    return {
      slots: ['ms', 'mom'],
      code: `let g = grad[i];\nlet s = ${rho} * ms[i] + (1.0 - ${rho}) * g * g;\nms[i] = s;\nlet mo = ${num(step, 'momentum')} * mom[i] + R.lr * g / (sqrt(s) + ${num(step, 'epsilon')});\nmom[i] = mo;\nparam[i] -= mo;`,
    };
  },
};

function adamCode(step: StepShapes, decoupled: boolean): string {
  const b1 = num(step, 'beta1');
  const b2 = num(step, 'beta2');
  const decay = decoupled ? `p -= R.lr * ${num(step, 'weightDecay')} * p;\n` : '';
  return `let g = grad[i];
let mt = ${b1} * m[i] + (1.0 - ${b1}) * g;
let vt = ${b2} * v[i] + (1.0 - ${b2}) * g * g;
m[i] = mt;
v[i] = vt;
let t = f32(R.step);
let mhat = mt / (1.0 - pow(${b1}, t));
let vhat = vt / (1.0 - pow(${b2}, t));
var p = param[i];
${decay}p -= R.lr * mhat / (sqrt(vhat) + ${num(step, 'epsilon')});
param[i] = p;`;
}

export function emitUpdate(step: StepShapes): KernelSource {
  const { slots, code } = UPDATES[step.base]!(step);
  const buffers = [inout(0, 'param'), input(1, 'grad'), ...slots.map((name, k) => inout(2 + k, name))];
  return gridKernel(product(step.inputs[0]!.shape), buffers, code, { runtime: true });
}
