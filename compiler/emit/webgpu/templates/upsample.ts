import type { PlanDim } from '../../../../runtime/plan/format.js';
import { product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * upsample2d and its gradient over channels-last [N, H, W, C], one thread per output element (the
 * forward pass) or per input element (the gradient, a gather over the output cells that read it, so
 * no atomics). The taps are the CPU kernel's (runtime/cpu/kernels/upsample.ts): nearest reads
 * floor(o / s); bilinear reads two cells around the half-pixel source (o + ½)/s − ½, clamped.
 * Spatial sizes are params, so a symbolic length (upsample1d over a sequence) needs no special case.
 */
function sizes(x: PlanDim[], attrs: Record<string, unknown>): KernelSource['params'] {
  const size = attrs.size as number[];
  return [
    { name: 'H', type: 'u32', value: x[1]! },
    { name: 'W', type: 'u32', value: x[2]! },
    { name: 'C', type: 'u32', value: x[3]! },
    { name: 'SH', type: 'u32', value: size[0]! },
    { name: 'SW', type: 'u32', value: size[1]! },
  ];
}

/** `tap(o, s, n)`: the low source cell, the high one and the high one's weight along one axis. */
function tapHelper(bilinear: boolean): string {
  const body = bilinear
    ? `let src = clamp((f32(o) + 0.5) / f32(s) - 0.5, 0.0, f32(n - 1u));
  let lo = u32(floor(src));
  return Tap(lo, min(lo + 1u, n - 1u), src - f32(lo));`
    : 'let lo = o / s;\n  return Tap(lo, lo, 0.0);';
  return `struct Tap { lo: u32, hi: u32, frac: f32 }
fn tap(o: u32, s: u32, n: u32) -> Tap {
  ${body}
}`;
}

export function emitUpsample(step: StepShapes): KernelSource {
  const x = step.inputs[0]!.shape;
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'x'), output(0, 'y')], `
let c = i % P.C;
let ox = (i / P.C) % (P.W * P.SW);
let oy = (i / (P.C * P.W * P.SW)) % (P.H * P.SH);
let b = i / (P.C * P.W * P.SW * P.H * P.SH);
let r = tap(oy, P.SH, P.H);
let q = tap(ox, P.SW, P.W);
let row0 = (b * P.H + r.lo) * P.W;
let row1 = (b * P.H + r.hi) * P.W;
let top = mix(x[(row0 + q.lo) * P.C + c], x[(row0 + q.hi) * P.C + c], q.frac);
let bottom = mix(x[(row1 + q.lo) * P.C + c], x[(row1 + q.hi) * P.C + c], q.frac);
y[i] = mix(top, bottom, r.frac);`, { params: sizes(x, step.attrs), helpers: tapHelper(step.attrs.mode === 'bilinear') });
}

/**
 * dx at (iy, ix) gathers dy over the output rows and columns whose taps name it. An output cell reads
 * source cells within one of o/s, so rows [(iy − 1)·s, (iy + 2)·s) cover every reader.
 */
export function emitUpsampleGrad(step: StepShapes): KernelSource {
  const x = step.outputs[0]!.shape;
  return gridKernel(product(x), [input(0, 'dy'), output(0, 'dx')], `
let c = i % P.C;
let ix = (i / P.C) % P.W;
let iy = (i / (P.C * P.W)) % P.H;
let b = i / (P.C * P.W * P.H);
let OH = P.H * P.SH;
let OW = P.W * P.SW;
var acc = 0.0;
for (var oy = select(0u, (iy - 1u) * P.SH, iy > 0u); oy < min(OH, (iy + 2u) * P.SH); oy++) {
  let wy = weight(tap(oy, P.SH, P.H), iy);
  if (wy == 0.0) { continue; }
  for (var ox = select(0u, (ix - 1u) * P.SW, ix > 0u); ox < min(OW, (ix + 2u) * P.SW); ox++) {
    let wx = weight(tap(ox, P.SW, P.W), ix);
    if (wx == 0.0) { continue; }
    acc += wy * wx * dy[((b * OH + oy) * OW + ox) * P.C + c];
  }
}
dx[i] = acc;`, {
    params: sizes(x, step.attrs),
    helpers: `${tapHelper(step.attrs.mode === 'bilinear')}
/** The weight with which a tap reads source cell \`at\` (both ends may be the same cell). */
fn weight(t: Tap, at: u32) -> f32 {
  return select(0.0, 1.0 - t.frac, t.lo == at) + select(0.0, t.frac, t.hi == at);
}`,
  });
}
