import { afterAll, describe, expect, it } from 'vitest';
import { geometry } from '../../../runtime/cpu/kernels/conv.js';
import { direct } from './conv-reference.js';
import { U, random, size } from './float-data.js';

/**
 * Winograd in a page that is not cross-origin isolated: the kernels' memory is not shared, so the
 * pointer tables are kept in JS (pointer-tables.ts) and copied into scratch per call
 * (conv-winograd.ts). The modules are imported after the page is set so (one file, one module graph).
 */
const page = globalThis as { crossOriginIsolated?: boolean };
page.crossOriginIsolated = false;
afterAll(() => {
  delete page.crossOriginIsolated;
});
const { sgemmModule } = await import('../../../runtime/cpu/wasm/sgemm-simd.js');
const { kernelHeap } = await import('../../../runtime/cpu/wasm/kernel-memory.js');
const { convWinograd, convWinogradGradWeight } = await import('../../../runtime/cpu/wasm/conv-winograd.js');

describe.runIf(sgemmModule() !== null)('Winograd over a memory that is not shared', () => {
  it('runs on this host with an unshared memory', () => {
    expect(sgemmModule()!.memory.buffer instanceof SharedArrayBuffer).toBe(false);
  });

  it('computes the forward and the weight gradient with its tables copied in', () => {
    const c = { name: 'valid 13×13, 32 into 64', x: [2, 13, 13, 32], w: [64, 3, 3, 32], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1] } };
    const x = random(size(c.x), 1);
    const w = random(size(c.w), 2);
    const g = geometry(c.x, c.w, c.attrs);
    const dy = random(g.n * g.oh * g.ow * g.f, 3);
    const exact = direct(c, x, w, dy);
    const heap = kernelHeap(sgemmModule()!.memory);
    const blocks = [x.length, w.length, exact.y.length, dy.length].map((n) => heap.allocate(n * 4 + 64));
    const view = (i: number, n: number): Float32Array => heap.view('f32', blocks[i]!, n) as Float32Array;
    view(0, x.length).set(x);
    view(1, w.length).set(w);
    view(3, dy.length).set(dy);
    const done = convWinograd(sgemmModule()!, view(0, x.length), view(1, w.length), view(2, exact.y.length), g, { bias: null, activation: 'none', alpha: 0, after: null });
    expect(done).toBe(true);
    // Views made after the call: an unshared memory's grow detaches the earlier ones.
    const y = view(2, exact.y.length);
    const kForward = 9 * g.c;
    let worst = 0;
    exact.y.forEach((v, i) => (worst = Math.max(worst, Math.abs(y[i]! - v) / ((kForward + 3) * U * exact.yMag[i]! + 1e-30))));
    expect(worst).toBeLessThanOrEqual(1);
    const dw = new Float32Array(w.length);
    expect(convWinogradGradWeight(sgemmModule()!, view(3, dy.length), view(0, x.length), dw, g)).toBe(true);
    const kWeight = g.n * g.oh * g.ow;
    worst = 0;
    exact.dw.forEach((v, i) => (worst = Math.max(worst, Math.abs(dw[i]! - v) / ((kWeight + 3) * U * exact.dwMag[i]! + 1e-30))));
    expect(worst).toBeLessThanOrEqual(1);
    blocks.forEach((at) => heap.free(at));
  });
});
