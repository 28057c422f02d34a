import type { PlanDim } from '../../../../runtime/plan/format.js';
import { addDims, mulDims, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * strided_read and strided_write (the axis map of runtime/plan/kernels.ts). Read: one thread per
 * output element adds up its offset in x. Write: one thread per output element (of the larger tensor)
 * inverts the map axis by axis and reads x where it lands, else writes 0, so no thread races another.
 * Offsets are u32 arithmetic, which wraps: a negative stride (a reversed slice) is its two's
 * complement, and the sums come out right.
 */

interface Map {
  axes: number[];
  starts: PlanDim[];
  steps: number[];
}

function mapOf(attrs: Record<string, unknown>): Map {
  return { axes: attrs.axes as number[], starts: attrs.starts as PlanDim[], steps: attrs.steps as number[] };
}

/** step·size as a dim: a negative step with a symbolic size is written `0-(...)` (the runtime evaluates it). */
function signedProduct(step: number, size: PlanDim): PlanDim {
  if (typeof size === 'number') return step * size;
  return step >= 0 ? mulDims(step, size) : `0-(${String(mulDims(-step, size))})`;
}

export function emitStridedRead(step: StepShapes): KernelSource {
  const big = step.inputs[0]!.shape;
  const small = step.outputs[0]!.shape;
  const dtype = step.inputs[0]!.dtype;
  const { axes, starts, steps } = mapOf(step.attrs);
  const stride = (a: number): PlanDim => product(big.slice(a + 1));
  let base: PlanDim = 0;
  starts.forEach((s, a) => (base = addDims(base, mulDims(s, stride(a)))));
  const params: KernelSource['params'] = [{ name: 'base', type: 'u32', value: base }];
  const terms: string[] = [];
  for (let k = 0; k < small.length; k++) {
    const a = axes[k]!;
    if (a < 0) continue;
    params.push({ name: `d${k}`, type: 'u32', value: small[k]! });
    params.push({ name: `div${k}`, type: 'u32', value: product(small.slice(k + 1)) });
    params.push({ name: `s${k}`, type: 'u32', value: signedProduct(steps[a]!, stride(a)) });
    terms.push(`((i / P.div${k}) % P.d${k}) * P.s${k}`);
  }
  return gridKernel(product(small), [input(0, 'x', dtype), output(0, 'y', dtype)], `y[i] = x[P.base${terms.map((t) => ` + ${t}`).join('')}];`, { params });
}

export function emitStridedWrite(step: StepShapes): KernelSource {
  const small = step.inputs[0]!.shape;
  const big = step.outputs[0]!.shape;
  const { axes, starts, steps } = mapOf(step.attrs);
  const params: KernelSource['params'] = [];
  const lines: string[] = ['var inside = true;', 'var at = 0u;'];
  for (let a = 0; a < big.length; a++) {
    params.push({ name: `bd${a}`, type: 'u32', value: big[a]! });
    params.push({ name: `bdiv${a}`, type: 'u32', value: product(big.slice(a + 1)) });
    params.push({ name: `start${a}`, type: 'u32', value: starts[a]! });
    const c = `i32((i / P.bdiv${a}) % P.bd${a})`;
    const k = axes.indexOf(a);
    if (k === -1) {
      lines.push(`inside = inside && ${c} == bitcast<i32>(P.start${a});`);
      continue;
    }
    params.push({ name: `sd${k}`, type: 'u32', value: small[k]! });
    params.push({ name: `sdiv${k}`, type: 'u32', value: product(small.slice(k + 1)) });
    lines.push(`{
  let t = ${c} - bitcast<i32>(P.start${a});
  let q = t / (${steps[a]!});
  inside = inside && q * (${steps[a]!}) == t && q >= 0 && q < i32(P.sd${k});
  at += u32(max(q, 0)) * P.sdiv${k};
}`);
  }
  // Outside the map `at` is meaningless: clamp it so the read stays in bounds, then discard it.
  lines.push('y[i] = select(0.0, x[min(at, arrayLength(&x) - 1u)], inside);');
  return gridKernel(product(big), [input(0, 'x'), output(0, 'y')], lines.join('\n'), { params });
}

/** pad_reflect: one thread per padded element reads the x position it mirrors. */
export function emitPadReflect(step: StepShapes): KernelSource {
  const x = step.inputs[0]!.shape;
  const y = step.outputs[0]!.shape;
  const before = step.attrs.before as number[];
  const params: KernelSource['params'] = [];
  const lines = ['var at = 0u;'];
  for (let a = 0; a < x.length; a++) {
    params.push({ name: `yd${a}`, type: 'u32', value: y[a]! }, { name: `ydiv${a}`, type: 'u32', value: product(y.slice(a + 1)) }, { name: `xs${a}`, type: 'u32', value: product(x.slice(a + 1)) });
    const c = `i32((i / P.ydiv${a}) % P.yd${a})`;
    // Axes without padding read their own position (their size may be symbolic).
    if (before[a] === 0 && (step.attrs.after as number[])[a] === 0) {
      lines.push(`at += u32(${c}) * P.xs${a};`);
      continue;
    }
    const n = Number(x[a]);
    lines.push(`{
  var t = ${c} - ${before[a]};
  t = select(t, -t, t < 0);
  t = select(t, ${2 * (n - 1)} - t, t >= ${n});
  at += u32(t) * P.xs${a};
}`);
  }
  lines.push('y[i] = x[at];');
  return gridKernel(product(y), [input(0, 'x'), output(0, 'y')], lines.join('\n'), { params });
}

/**
 * pad_reflect_grad: one thread per x element sums dy over every padded position that reads it. Per
 * padded axis those are at most three (itself, its mirror in the padding before, its mirror in the
 * padding after), so the loops visit at most 3^(padded axes) candidates.
 */
export function emitPadReflectGrad(step: StepShapes): KernelSource {
  const y = step.inputs[0]!.shape;
  const x = step.outputs[0]!.shape;
  const before = step.attrs.before as number[];
  const after = step.attrs.after as number[];
  const params: KernelSource['params'] = [];
  const open: string[] = [];
  const close: string[] = [];
  const offsets: string[] = [];
  for (let a = 0; a < x.length; a++) {
    params.push({ name: `xd${a}`, type: 'u32', value: x[a]! }, { name: `xdiv${a}`, type: 'u32', value: product(x.slice(a + 1)) }, { name: `ys${a}`, type: 'u32', value: product(y.slice(a + 1)) });
    const c = `i32((i / P.xdiv${a}) % P.xd${a})`;
    if (before[a] === 0 && after[a] === 0) {
      offsets.push(`u32(${c}) * P.ys${a}`);
      continue;
    }
    const n = Number(x[a]);
    const b = before[a]!;
    // k = 0: the position itself; 1: its mirror before (when 1 ≤ c ≤ before); 2: its mirror after (when n-1-after ≤ c ≤ n-2).
    open.push(`for (var k${a} = 0; k${a} < 3; k${a}++) {
  let c${a} = ${c};
  var p${a} = c${a} + ${b};
  if (k${a} == 1) { if (c${a} < 1 || c${a} > ${b}) { continue; } p${a} = ${b} - c${a}; }
  if (k${a} == 2) { if (c${a} < ${n - 1 - after[a]!} || c${a} > ${n - 2}) { continue; } p${a} = ${b + 2 * (n - 1)} - c${a}; }`);
    close.push('}');
    offsets.push(`u32(p${a}) * P.ys${a}`);
  }
  const body = `var total = 0.0;
${open.join('\n')}
total += dy[${offsets.join(' + ') || '0u'}];
${close.join('\n')}
dx[i] = total;`;
  return gridKernel(product(x), [input(0, 'dy'), output(0, 'dx')], body, { params });
}
