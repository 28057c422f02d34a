import { f32Literal, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * random: the counter-based generator of runtime/plan/counter-random.ts in WGSL (the same PCG hash,
 * key and Box–Muller), so a step draws the same values as on the CPU; the mean when not drawing.
 */
const PCG_RANDOM = `
fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}
fn uniform_at(n: u32, key: u32) -> f32 {
  return f32(pcg(n ^ key) >> 8u) / 16777216.0;
}`;

export function emitRandom(step: StepShapes): KernelSource {
  const a = Number(step.attrs.a);
  const b = Number(step.attrs.b);
  const normal = step.attrs.dist === 'normal';
  const seed = (Number(step.attrs.seed) >>> 0) || 0;
  const draw = normal
    ? `let u1 = uniform_at(2u * i, key) + ${f32Literal(0.5 / 16777216)};
let u2 = uniform_at(2u * i + 1u, key);
y[i] = ${f32Literal(a)} + ${f32Literal(b)} * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);`
    : `y[i] = ${f32Literal(a)} + ${f32Literal(b - a)} * uniform_at(i, key);`;
  const mean = f32Literal(normal ? a : (a + b) / 2);
  const active = step.attrs.inference === true ? 'true' : 'R.training == 1u';
  // x only gives the shape; the phony read keeps its binding in the pipeline layout.
  return gridKernel(product(step.inputs[0]!.shape), [input(0, 'x'), output(0, 'y')], `
_ = x[i];
if (${active}) {
  let key = pcg(R.seed ^ pcg(${seed}u));
  ${draw.split('\n').join('\n  ')}
} else {
  y[i] = ${mean};
}`, { helpers: PCG_RANDOM, runtime: true });
}
