import { describe, expect, it } from 'vitest';
import { Random } from '../../../runtime/data/random.js';
import { augmentBatch } from '../../../runtime/train/augment.js';
import { f32 } from '../../../runtime/tensor.js';

describe('augmentation', () => {
  const image = f32([1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);

  it('flip mirrors rows left-right (about half of the images)', () => {
    const many = f32([200, 1, 2], Array.from({ length: 400 }, (_, i) => i % 2));
    const out = augmentBatch(many, [{ kind: 'flip', input: null }], new Random(1));
    let flipped = 0;
    for (let n = 0; n < 200; n++) if (out.data[2 * n] === 1) flipped++;
    expect(flipped).toBeGreaterThan(70);
    expect(flipped).toBeLessThan(130);
  });

  it('shift moves by whole pixels with zero fill and keeps the values', () => {
    const out = augmentBatch(image, [{ kind: 'shift', pixels: 1, input: null }], new Random(5));
    const kept = Array.from(out.data).filter((v) => v !== 0);
    for (const v of kept) expect([1, 2, 3, 4, 5, 6, 7, 8, 9]).toContain(v);
    expect(kept.length === 9 || kept.length === 6 || kept.length === 4).toBe(true);
  });

  it('shift is out[y][x] = in[y − dy][x − dx] with dy then dx drawn per image, channels kept together', () => {
    // The definition, pixel by pixel, with the draws replayed from the same seed.
    for (const [height, width, channels, pixels] of [[5, 7, 1, 2], [4, 6, 3, 1], [3, 3, 2, 3]] as const) {
      const count = 12;
      const size = height * width * channels;
      const batch = f32([count, height, width, channels], Array.from({ length: count * size }, (_, i) => i + 1));
      const out = augmentBatch(batch, [{ kind: 'shift', pixels, input: null }], new Random(9));
      const draws = new Random(9);
      for (let n = 0; n < count; n++) {
        const dy = draws.int(2 * pixels + 1) - pixels;
        const dx = draws.int(2 * pixels + 1) - pixels;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            for (let c = 0; c < channels; c++) {
              const inside = y - dy >= 0 && y - dy < height && x - dx >= 0 && x - dx < width;
              const want = inside ? batch.data[n * size + ((y - dy) * width + (x - dx)) * channels + c]! : 0;
              expect(out.data[n * size + (y * width + x) * channels + c]).toBe(want);
            }
          }
        }
      }
    }
  });

  it('noise has the requested standard deviation and leaves the input untouched', () => {
    const zeros = f32([1, 10000]);
    const out = augmentBatch(zeros, [{ kind: 'noise', std: 0.1, input: null }], new Random(2));
    const values = Array.from(out.data);
    const mean = values.reduce((a, b) => a + b, 0) / 10000;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 10000);
    expect(std).toBeCloseTo(0.1, 2);
    expect(zeros.data.every((v) => v === 0)).toBe(true);
  });

  it('refuses image augmentations on flat inputs', () => {
    expect(() => augmentBatch(f32([2, 4]), [{ kind: 'flip', input: null }], new Random(1))).toThrow(/image inputs/);
  });
});
