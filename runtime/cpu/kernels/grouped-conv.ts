import type { CpuKernel, CpuKernelMap, EpilogueKernel } from '../kernel-interface.js';
import { applyEpilogue, f32 } from '../kernel-interface.js';
import type { EpilogueKernelName } from '../../plan/kernels.js';
import { geometry, type Geometry } from './conv.js';

/**
 * grouped_conv2d and its gradients as direct loops (plain typed arrays): output channel f reads the
 * C/groups input channels of its group g = floor(f / (F/groups)), with w [F, kh, kw, C/groups].
 * groups = C is the depthwise convolution. Geometry and 'same' padding are conv2d's (conv.ts).
 */
interface Groups {
  /** Input channels per group. */
  cpg: number;
  /** Output channels (filters) per group. */
  fpg: number;
}

function groupsOf(g: Geometry, attrs: Readonly<Record<string, unknown>>): Groups {
  const groups = (attrs.groups as number | undefined) ?? 1;
  return { cpg: g.c / groups, fpg: g.f / groups };
}

/** Calls `tap(xAt, wAt)` for each in-bounds kernel tap of output (b, oy, ox) and filter f, per input channel of its group. */
function forEachTap(g: Geometry, k: Groups, b: number, oy: number, ox: number, f: number, tap: (xAt: number, wAt: number, channels: number) => void): void {
  const group = Math.floor(f / k.fpg);
  for (let ky = 0; ky < g.kh; ky++) {
    const iy = oy * g.sh + ky * g.dh - g.padTop;
    if (iy < 0 || iy >= g.h) continue;
    for (let kx = 0; kx < g.kw; kx++) {
      const ix = ox * g.sw + kx * g.dw - g.padLeft;
      if (ix < 0 || ix >= g.w) continue;
      tap(((b * g.h + iy) * g.w + ix) * g.c + group * k.cpg, ((f * g.kh + ky) * g.kw + kx) * k.cpg, k.cpg);
    }
  }
}

/** Visits every (output position, filter) pair with its flat index into y / dy. */
function forEachOutput(g: Geometry, visit: (b: number, oy: number, ox: number, f: number, at: number) => void): void {
  let at = 0;
  for (let b = 0; b < g.n; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let f = 0; f < g.f; f++, at++) visit(b, oy, ox, f, at);
}

const groupedConv: EpilogueKernel = (_ctx, [x, w], [y], attrs, epilogue) => {
  const g = geometry(x!.shape, w!.shape, attrs);
  const k = groupsOf(g, attrs);
  const [xd, wd, out] = [f32(x!), f32(w!), f32(y!)];
  forEachOutput(g, (b, oy, ox, f, at) => {
    let acc = 0;
    forEachTap(g, k, b, oy, ox, f, (xAt, wAt, n) => {
      for (let ch = 0; ch < n; ch++) acc += xd[xAt + ch]! * wd[wAt + ch]!;
    });
    out[at] = acc;
  });
  applyEpilogue(out, g.f, 0, g.n * g.oh * g.ow, epilogue);
};

const groupedConvGradInput: CpuKernel = (_ctx, [dy, w], [dx], attrs) => {
  const g = geometry(dx!.shape, w!.shape, attrs);
  const k = groupsOf(g, attrs);
  const [grad, wd, out] = [f32(dy!), f32(w!), f32(dx!)];
  out.fill(0);
  forEachOutput(g, (b, oy, ox, f, at) => {
    const d = grad[at]!;
    forEachTap(g, k, b, oy, ox, f, (xAt, wAt, n) => {
      for (let ch = 0; ch < n; ch++) out[xAt + ch]! += d * wd[wAt + ch]!;
    });
  });
};

const groupedConvGradWeight: CpuKernel = (_ctx, [dy, x], [dw], attrs) => {
  const g = geometry(x!.shape, dw!.shape, attrs);
  const k = groupsOf(g, attrs);
  const [grad, xd, out] = [f32(dy!), f32(x!), f32(dw!)];
  out.fill(0);
  forEachOutput(g, (b, oy, ox, f, at) => {
    const d = grad[at]!;
    forEachTap(g, k, b, oy, ox, f, (xAt, wAt, n) => {
      for (let ch = 0; ch < n; ch++) out[wAt + ch]! += d * xd[xAt + ch]!;
    });
  });
};

export const groupedConvEpilogueKernels = { grouped_conv2d: groupedConv } satisfies Partial<Record<EpilogueKernelName, EpilogueKernel>>;

export const groupedConvKernels = {
  grouped_conv2d_grad_input: groupedConvGradInput,
  grouped_conv2d_grad_weight: groupedConvGradWeight,
} satisfies CpuKernelMap;
