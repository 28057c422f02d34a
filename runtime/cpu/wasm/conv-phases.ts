import type { Geometry } from '../kernels/conv.js';
import { geometryKey, packTapRows, sgemmIndirect, type Gather, type IndirectB } from './conv-indirect.js';
import { MR, NR } from './sgemm-module.js';
import type { SgemmModule } from './sgemm-simd.js';
import type { GemmMemoryModule } from './gemm-memory.js';
import { columnsModule, HeldBlock, VALUE_COST } from './group-columns.js';
import { addressIn } from './kernel-memory.js';
import { parallelFor } from '../threads/threaded-module.js';

/**
 * A strided convolution's input gradient — and so a transposed convolution's forward — one stride
 * phase at a time, on the indirect GEMM (conv-indirect.ts).
 *
 * In the input gradient dx[b, iy, ix, :] = Σ_taps dy[b, oy, ox, :] · w[:, ky, kx, :], tap (ky, kx) has
 * an output pixel only when iy + padTop − ky·dh is a multiple of sh (and likewise along x). Which taps
 * pass depends on iy mod sh and ix mod sw alone: the phase. Run as one product over every pixel (what
 * gradInputGather does), a stride of 2 in both axes makes three taps in four read zeros; run phase by
 * phase, each product has only its own taps, so the micro-kernel does the work of the sum and no more.
 * A phase's rows are written into scratch, then scattered to their pixels of dx: by scatter_rows
 * (columns-module.ts) from a block of the GEMM's memory kept between calls when dx lies there (an
 * executor's tensor), else by a JS loop from a JS array.
 *
 * Each phase is a product like any other on the kernel: tiles over threads, the same bits for any
 * thread count. Each dx value is the same sum in the same order (over the phase's taps in (ky, kx)
 * order, then over F) as the whole product's, less its zero terms.
 */
export interface Phase {
  ry: number;
  rx: number;
  /** The taps (ky·kw + kx) that reach an output pixel from this phase, in order. */
  taps: number[];
  /** Pixels per image in this phase along y and x. */
  ny: number;
  nx: number;
}

const mod = (a: number, m: number): number => ((a % m) + m) % m;

/** The sh·sw phases of g's input gradient, with their taps. */
export function phasesOf(g: Geometry): Phase[] {
  const phases: Phase[] = [];
  for (let ry = 0; ry < g.sh; ry++) {
    for (let rx = 0; rx < g.sw; rx++) {
      const taps: number[] = [];
      for (let ky = 0; ky < g.kh; ky++) {
        if (mod(ry + g.padTop - ky * g.dh, g.sh) !== 0) continue;
        for (let kx = 0; kx < g.kw; kx++) if (mod(rx + g.padLeft - kx * g.dw, g.sw) === 0) taps.push(ky * g.kw + kx);
      }
      phases.push({ ry, rx, taps, ny: Math.max(0, Math.ceil((g.h - ry) / g.sh)), nx: Math.max(0, Math.ceil((g.w - rx) / g.sw)) });
    }
  }
  return phases;
}

/** Along one axis: how many of `size` input positions tap k reaches an output of `out` (k's offset k·d − pad). */
function reach(size: number, out: number, stride: number, offset: number): number {
  let count = 0;
  for (let i = 0; i < size; i++) {
    const t = i - offset;
    if (t >= 0 && t % stride === 0 && t / stride < out) count++;
  }
  return count;
}

/**
 * The share of (pixel, tap) pairs of the phased products that read an output pixel, the rest reading
 * zeros at the borders. Near 1 for large images; low when the image is small next to the kernel (a
 * transposed convolution from 1×1 to 4×4 reads one tap in 16), where a dense GEMM and a scatter do less.
 */
export function phasedDensity(g: Geometry, phases: readonly Phase[]): number {
  const ys = Array.from({ length: g.kh }, (_, ky) => reach(g.h, g.oh, g.sh, ky * g.dh - g.padTop));
  const xs = Array.from({ length: g.kw }, (_, kx) => reach(g.w, g.ow, g.sw, kx * g.dw - g.padLeft));
  const useful = ys.reduce((a, b) => a + b, 0) * xs.reduce((a, b) => a + b, 0);
  const read = phases.reduce((sum, p) => sum + p.ny * p.nx * p.taps.length, 0);
  return read === 0 ? 1 : useful / read;
}

/** Where row r's pointer for tap t goes (conv-indirect.ts's layout: panels of 4 rows, [panel][tap][row]). */
const pointerIndex = (r: number, t: number, taps: number): number => ((r >> 2) * taps + t) * MR + (r & 3);

function phaseGather(dy: Float32Array, g: Geometry, p: Phase): Gather {
  const taps = p.taps.length;
  return {
    source: dy, channels: g.f, taps, rows: g.n * p.ny * p.nx, key: `phase ${p.ry} ${p.rx} grad input ${geometryKey(g)}`,
    pointers(into, at, i0, count, sourceAt, zerosAt) {
      const { kw, ow, oh, sh, sw, dh, dw, padTop, padLeft } = g;
      const pixelBytes = g.f * 4;
      let jx = i0 % p.nx;
      const rest = (i0 - jx) / p.nx;
      let jy = rest % p.ny;
      let b = (rest - jy) / p.ny;
      for (let r = 0; r < count; r++) {
        const iy = p.ry + jy * sh;
        const ix = p.rx + jx * sw;
        for (let t = 0; t < taps; t++) {
          const tap = p.taps[t]!;
          const kx = tap % kw;
          const ky = (tap - kx) / kw;
          // Exact multiples of the strides by the phase's choice of taps.
          const oy = (iy + padTop - ky * dh) / sh;
          const ox = (ix + padLeft - kx * dw) / sw;
          into[at + pointerIndex(r, t, taps)] = oy >= 0 && oy < oh && ox >= 0 && ox < ow ? sourceAt + ((b * oh + oy) * ow + ox) * pixelBytes : zerosAt;
        }
        if (++jx === p.nx) {
          jx = 0;
          if (++jy === p.ny) {
            jy = 0;
            b++;
          }
        }
      }
    },
  };
}

/** B(t·F + f, ch) = w[(f·taps + tap_t)·C + ch] for the phase's taps, as unblocked panels of 8 columns. */
function phaseB(w: Float32Array, g: Geometry, p: Phase): IndirectB {
  return {
    data: w,
    layout: `conv phase ${p.ry} ${p.rx} ${p.taps.join(',')} ${g.f} ${g.kh * g.kw} ${g.c}`,
    pack: (into, offset) => packTapRows(w, g, p.taps, into, offset),
  };
}

/**
 * A phase's gather and B, kept per phase object while dy and w stay: nothing made per call. A phase
 * object belongs to one geometry (conv-simd.ts and depthwise-simd.ts keep theirs per geometry), the
 * one `g` its first call passes.
 */
const gathers = new WeakMap<Phase, { dy: Float32Array; gather: Gather }>();
const bs = new WeakMap<Phase, { w: Float32Array; b: IndirectB }>();
export function keptPhaseGather(dy: Float32Array, g: Geometry, p: Phase): Gather {
  let kept = gathers.get(p);
  if (!kept || kept.dy !== dy) gathers.set(p, (kept = { dy, gather: phaseGather(dy, g, p) }));
  return kept.gather;
}
function keptB(w: Float32Array, g: Geometry, p: Phase): IndirectB {
  let kept = bs.get(p);
  if (!kept || kept.w !== w) bs.set(p, (kept = { w, b: phaseB(w, g, p) }));
  return kept.b;
}

/** Scratch for a phase's rows, and its views by length (one per phase size, made once). */
let scratch = new Float32Array(0);
const scratchViews = new Map<number, Float32Array>();
function scratchOf(values: number): Float32Array {
  if (scratch.length < values) {
    scratch = new Float32Array(values);
    scratchViews.clear();
  }
  let view = scratchViews.get(values);
  if (!view) scratchViews.set(values, (view = scratch.subarray(0, values)));
  return view;
}

const NO_EPILOGUE = { bias: null, activation: 'none', alpha: 0, after: null } as const;

/** dx [N·H·W, C] = the input gradient of g's convolution for dy, phase by phase; dx is overwritten. */
export function gradInputByPhase(module: SgemmModule, dy: Float32Array, w: Float32Array, g: Geometry, dx: Float32Array, phases: readonly Phase[]): void {
  const columns = columnsModule();
  const dxAt = columns ? addressIn(module.memory, dx) : null;
  if (columns && dxAt !== null) return phasesInMemory(module, columns, dy, w, g, dxAt, phases);
  for (const p of phases) {
    const rows = g.n * p.ny * p.nx;
    if (rows === 0) continue;
    const c = scratchOf(rows * g.c);
    if (p.taps.length === 0) c.fill(0);
    else sgemmIndirect(module, keptPhaseGather(dy, g, p), keptB(w, g, p), c, g.c, NO_EPILOGUE);
    scatter(c, dx, g, p);
  }
}

/** The phases' products, one at a time, per memory. */
const productBlocks = new WeakMap<WebAssembly.Memory, HeldBlock>();

/**
 * The phases with dx in the GEMM's memory: each phase's product into a held block of it, rows of
 * ldc = C rounded up to a panel (the tiles' own width, so the GEMM stores them there, and B's padding
 * columns are zeros), then scatter_rows moves its C columns to their pixels of dx.
 */
function phasesInMemory(module: SgemmModule, columns: GemmMemoryModule<unknown>, dy: Float32Array, w: Float32Array, g: Geometry, dxAt: number, phases: readonly Phase[]): void {
  const ldc = Math.ceil(g.c / NR) * NR;
  let block = productBlocks.get(module.memory);
  if (!block) productBlocks.set(module.memory, (block = new HeldBlock(module.memory)));
  let most = 0;
  for (const p of phases) most = Math.max(most, g.n * p.ny * p.nx);
  // Reserved before the products lay out their scratch (above every block).
  const at = block.reserve(most * ldc * 4);
  for (const p of phases) {
    const rows = g.n * p.ny * p.nx;
    if (rows === 0) continue;
    const c = block.view(at, rows * ldc);
    if (p.taps.length === 0) c.fill(0);
    else sgemmIndirect(module, keptPhaseGather(dy, g, p), keptB(w, g, p), c, ldc, NO_EPILOGUE);
    const a = scatterArgs;
    a[0] = at;
    a[1] = ldc * 4;
    a[2] = dxAt + (p.ry * g.w + p.rx) * g.c * 4;
    a[3] = g.sw * g.c * 4;
    a[4] = g.sh * g.w * g.c * 4;
    a[5] = g.h * g.w * g.c * 4;
    a[6] = p.nx;
    a[7] = p.ny;
    a[8] = g.c * 4;
    parallelFor(columns.threaded, 'scatter_rows', a, rows, rows * g.c * VALUE_COST);
  }
}

/** scatter_rows' arguments, reused by every call (parallelFor reads them before it returns). */
const scatterArgs: number[] = new Array<number>(9).fill(0);

/** The phase's rows of c to their pixels of dx (dx not in the GEMM's memory). */
function scatter(c: Float32Array, dx: Float32Array, g: Geometry, p: Phase): void {
  const channels = g.c;
  let from = 0;
  for (let b = 0; b < g.n; b++) {
    for (let jy = 0; jy < p.ny; jy++) {
      let to = ((b * g.h + p.ry + jy * g.sh) * g.w + p.rx) * channels;
      const step = g.sw * channels;
      for (let jx = 0; jx < p.nx; jx++, to += step) for (let ch = 0; ch < channels; ch++) dx[to + ch] = c[from++]!;
    }
  }
}
