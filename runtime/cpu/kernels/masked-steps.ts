import type { RecurrentCell } from '../../plan/kernels.js';
import type { Scan } from './recurrent.js';

/**
 * What a mask [N, T] does to a scan (the `<cell>_masked_scan` kernels), applied around the cells of
 * recurrent.ts so that the cell bodies stay the same for both forms. A step whose mask is 0 is
 * padding: the cell runs as usual, then its row is undone —
 * - forward: h (and the LSTM's c) go back to their values before the step, the row of `saved` holds
 *   only those carried states (gates 0), so the next step and the backward pass read the carried
 *   state as h_{t−1} and c_{t−1}; y is 0 at the step with return_sequences, and the last state
 *   without (the last unmasked step's h);
 * - backward: the step's dxw and dhw are 0 (no gradient to its input or w_hh), dh passes straight to
 *   the previous step (through `direct`, which the driver adds after dhw·w_hh), and so does the
 *   LSTM's dc (`carry` back to its value before the cell).
 */

/** Undoes the masked rows of one forward step (before: h and c as they were before the cell ran). */
export function maskedForwardStep(
  sc: Scan,
  layout: RecurrentCell,
  mask: ArrayLike<number>,
  step: number,
  h: Float32Array,
  c: Float32Array,
  before: { h: Float32Array; c: Float32Array },
): void {
  const u = sc.u;
  for (let b = 0; b < sc.n; b++) {
    if (mask[b * sc.t + step] !== 0) continue;
    const row = (b * sc.t + step) * sc.s;
    sc.saved.fill(0, row, row + sc.s);
    for (let j = 0; j < u; j++) {
      const kept = before.h[b * u + j]!;
      h[b * u + j] = kept;
      c[b * u + j] = before.c[b * u + j]!;
      sc.saved[row + layout.hOffset * u + j] = kept;
      if (layout.cOffset !== undefined) sc.saved[row + layout.cOffset * u + j] = before.c[b * u + j]!;
      if (sc.sequences) sc.y[(b * sc.t + step) * u + j] = 0;
      else if (step === sc.t - 1) sc.y[b * u + j] = kept;
    }
  }
}

/** Undoes the masked rows of one backward step (keptCarry: the LSTM's dc before the cell ran). */
export function maskedBackwardStep(
  sc: Scan,
  mask: ArrayLike<number>,
  step: number,
  dy: Float32Array,
  dhNext: Float32Array,
  dxw: Float32Array,
  dhw: Float32Array,
  carry: Float32Array,
  keptCarry: Float32Array,
  direct: Float32Array,
): void {
  const u = sc.u;
  for (let b = 0; b < sc.n; b++) {
    if (mask[b * sc.t + step] !== 0) continue;
    const row = (b * sc.t + step) * sc.g;
    dxw.fill(0, row, row + sc.g);
    dhw.fill(0, b * sc.g, (b + 1) * sc.g);
    // y is 0 at a masked step of a sequence (no gradient); the last state is the carried h.
    const fromOutput = !sc.sequences && step === sc.t - 1;
    for (let j = 0; j < u; j++) {
      direct[b * u + j] = dhNext[b * u + j]! + (fromOutput ? dy[b * u + j]! : 0);
      carry[b * u + j] = keptCarry[b * u + j]!;
    }
  }
}
