import { describe, expect, it } from 'vitest';
import { permuteAxes, TO_CHANNELS_FIRST, toOnnxGateOrder } from '../../../runtime/export/index.js';

/** The layout facts bench/cpu/peers.mjs converts weight data with, against direct index arithmetic. */
describe('ONNX layouts', () => {
  it('a channels-last conv weight [m, kh, kw, c] becomes [m, c, kh, kw]', () => {
    const [m, kh, kw, c] = [3, 2, 4, 5];
    const data = Float32Array.from({ length: m * kh * kw * c }, (_, i) => i);
    const out = permuteAxes(data, [m, kh, kw, c], TO_CHANNELS_FIRST[2]);
    for (let o = 0; o < m; o++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < c; i++) expect(out[((o * c + i) * kh + y) * kw + x]).toBe(data[((o * kh + y) * kw + x) * c + i]);
  });

  it("recurrent gates go to ONNX's order: LSTM i, f, g, o → i, o, f, c; GRU r, z, n → z, r, h", () => {
    const blocks = (order: number[], width: number): number[] => order.flatMap((g) => Array.from({ length: 2 * width }, (_, k) => g * 2 * width + k));
    const lstm = Float32Array.from({ length: 4 * 2 * 3 }, (_, i) => i);
    expect(Array.from(toOnnxGateOrder('lstm', lstm, 2))).toEqual(blocks([0, 3, 1, 2], 3));
    const gru = Float32Array.from({ length: 3 * 2 }, (_, i) => i);
    expect(Array.from(toOnnxGateOrder('gru', gru, 2))).toEqual(blocks([1, 0, 2], 1));
  });
});
