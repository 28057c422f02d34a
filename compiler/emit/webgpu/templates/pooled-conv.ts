import { POOL_EPILOGUE } from '../../../../runtime/plan/kernels.js';
import { product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { input, output } from './grid.js';
import { epilogueCode } from './matmul.js';
import { constants, convGeometry, emitConv, spatialKernel, windowTaps } from './spatial.js';

/**
 * conv2d's template: the pooled convolution when the epilogue ends with POOL_EPILOGUE
 * (`conv2d+bias+relu+maxpool`), else the plain one (spatial.ts).
 *
 * The pooled convolution runs one thread per pooled output (b, py, px, f): it computes the ph×pw
 * convolution outputs of its window (oy = py·ph + wy, ox = px·pw + wx), adds the bias and applies the
 * activation to each, and stores their max, so the unpooled map is never written. The windows tile
 * the map from its first row and column; the rows and columns after the last whole window are
 * not computed (the pooled y's shape, [N, ⌊OH/ph⌋, ⌊OW/pw⌋, F], leaves them out).
 */
export function emitConv2d(step: StepShapes): KernelSource {
  return step.epilogue.includes(POOL_EPILOGUE) ? emitPooledConv(step) : emitConv(step);
}

function emitPooledConv(step: StepShapes): KernelSource {
  const g = convGeometry(step.inputs[0]!.shape, step.inputs[1]!.shape, step.attrs);
  const [ph, pw] = step.attrs.pool as [number, number];
  const epi = epilogueCode({ ...step, epilogue: step.epilogue.filter((e) => e !== POOL_EPILOGUE) });
  const buffers: KernelSource['buffers'] = [input(0, 'x'), input(1, 'wt')];
  if (epi.hasBias) buffers.push(input(2, 'bias'));
  buffers.push(output(0, 'y'));
  // The pooled height is the plan's (a dim expression when the height is symbolic); the width is fixed.
  const pooledHeight = step.outputs[0]!.shape[1]!;
  const heightParam = typeof pooledHeight === 'number' ? [] : [{ name: 'POH', type: 'u32' as const, value: pooledHeight }];
  const pooledConstants = [`const PH = ${ph}i;`, `const PW = ${pw}i;`, `const POW = ${Math.floor(g.ow / pw)}i;`];
  if (typeof pooledHeight === 'number') pooledConstants.push(`const POH = ${pooledHeight}i;`);
  return spatialKernel(g, product([g.n, pooledHeight, Math.floor(g.ow / pw), g.f]), buffers, `
${typeof pooledHeight === 'number' ? '' : 'let POH = i32(P.POH);'}
let f = i % P.N;
let pix = i32(i / P.N);
let px = pix % POW;
let py = (pix / POW) % POH;
let b = pix / (POW * POH);
var best = -3.402823e38;
for (var wy = 0i; wy < PH; wy++) {
  let oy = py * PH + wy;
  for (var wx = 0i; wx < PW; wx++) {
    let ox = px * PW + wx;
    var acc = 0.0;
    ${windowTaps(`let xb = u32(((b * H + iy) * W + ix) * C);
let wb = u32(((i32(f) * KH + ky) * KW + kx) * C);
for (var c = 0u; c < u32(C); c++) { acc = fma(x[xb + c], wt[wb + c], acc); }`)
    .split('\n')
    .join('\n    ')}
    best = max(best, activated(f, acc));
  }
}
y[i] = best;`, {
    params: [{ name: 'N', type: 'u32', value: g.f }, ...heightParam],
    helpers: `${constants(g)}\n${pooledConstants.join('\n')}\n${epi.fns}\nfn activated(n: u32, acc: f32) -> f32 {\n  var v = acc;\n  ${epi.apply}\n  return v;\n}`,
  });
}
