import { describe, expect, it } from 'vitest';
import { loadBuiltin, readDigits } from '../../../runtime/data/builtins.js';
import { decodeDigitBytes, encodeDigitBytes, splitDigits } from '../../../runtime/data/digits.js';
import { batches, makeDataset, shuffle, shuffledBatches, split } from '../../../runtime/data/dataset.js';
import { permutation } from '../../../runtime/data/random.js';

const ten = makeDataset(
  { x: { shape: [10, 2], dtype: 'f32', data: Float32Array.from({ length: 20 }, (_, i) => i) }, label: { shape: [10], dtype: 'i32', data: Int32Array.from({ length: 10 }, (_, i) => i) } },
  'label',
);

describe('Dataset', () => {
  it('shuffles deterministically by seed and keeps rows together', () => {
    const a = shuffle(ten, 3);
    const b = shuffle(ten, 3);
    expect(Array.from(a.fields.label!.data)).toEqual(Array.from(b.fields.label!.data));
    expect(Array.from(a.fields.label!.data)).not.toEqual(Array.from(shuffle(ten, 4).fields.label!.data));
    for (let i = 0; i < 10; i++) expect(a.fields.x!.data[2 * i]).toBe(2 * a.fields.label!.data[i]!);
    expect([...a.fields.label!.data].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('splits deterministically into disjoint parts covering every sample', () => {
    const [rest, held] = split(ten, 0.3, 9);
    const [rest2, held2] = split(ten, 0.3, 9);
    expect(held.length).toBe(3);
    expect(Array.from(held.fields.label!.data)).toEqual(Array.from(held2.fields.label!.data));
    expect(Array.from(rest.fields.label!.data)).toEqual(Array.from(rest2.fields.label!.data));
    const all = [...rest.fields.label!.data, ...held.fields.label!.data].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('batches with a smaller last batch', () => {
    expect([...batches(ten, 4)].map((b) => b.length)).toEqual([4, 4, 2]);
    expect([...batches(ten, 4)][2]!.fields.x!.shape).toEqual([2, 2]);
  });

  it('shuffled batches are the batches of the shuffled set, gathered one at a time into reused buffers', () => {
    for (const size of [4, 5, 10, 64]) {
      const wanted = [...batches(shuffle(ten, 7), size)].map((b) => ({ length: b.length, x: Array.from(b.fields.x!.data), xShape: b.fields.x!.shape, label: Array.from(b.fields.label!.data), dtype: b.fields.label!.dtype }));
      const got = [];
      const buffers = new Set<ArrayBufferLike>();
      // Read each batch as the loops do, before the next one is drawn.
      for (const b of shuffledBatches(ten, size, 7)) {
        got.push({ length: b.length, x: Array.from(b.fields.x!.data), xShape: b.fields.x!.shape, label: Array.from(b.fields.label!.data), dtype: b.fields.label!.dtype });
        buffers.add(b.fields.x!.data.buffer);
        expect(b.labelField).toBe('label');
      }
      expect(got).toEqual(wanted);
      expect(buffers.size).toBe(1);
    }
  });

  it('permutation is a permutation', () => {
    expect([...permutation(100, 1)].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('built-in datasets', () => {
  it('xor has the four points', () => {
    const { train } = loadBuiltin('xor');
    expect(Array.from(train.fields.label!.data)).toEqual([0, 1, 1, 0]);
  });

  it('iris: 120/30 stratified, standardised with the training statistics, same split every time', () => {
    const a = loadBuiltin('iris');
    const b = loadBuiltin('iris');
    expect([a.train.length, a.test!.length]).toEqual([120, 30]);
    expect(Array.from(a.test!.fields.label!.data)).toEqual(Array.from(b.test!.fields.label!.data));
    const counts = [0, 0, 0];
    for (const l of a.test!.fields.label!.data) counts[l]!++;
    expect(counts).toEqual([10, 10, 10]);
    const f = a.train.fields.features!.data;
    let mean = 0;
    for (let r = 0; r < 120; r++) mean += f[r * 4]!;
    expect(Math.abs(mean / 120)).toBeLessThan(1e-5);
  });

  it('digits: 8,000 train and 2,000 test images in [0, 1], deterministic', () => {
    const { train, test } = loadBuiltin('digits');
    expect(train.fields.image!.shape).toEqual([8000, 28, 28]);
    expect(test!.fields.image!.shape).toEqual([2000, 28, 28]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of test!.fields.image!.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBe(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(hi).toBeGreaterThan(0.9);
    const again = loadBuiltin('digits');
    expect(Array.from(again.test!.fields.label!.data.subarray(0, 50))).toEqual(Array.from(test!.fields.label!.data.subarray(0, 50)));
    // every class is present in both splits
    expect(new Set(test!.fields.label!.data).size).toBe(10);
  });

  it("digits as the playground ships them: 785 bytes per image, the same split as the CLI's, pixels within 1/510", () => {
    const { pixels, labels } = readDigits();
    const bytes = encodeDigitBytes(pixels, labels);
    expect(bytes.length).toBe(10_000 * 785);
    const decoded = decodeDigitBytes(bytes);
    expect(decoded.labels).toEqual(labels);
    let worst = 0;
    for (let i = 0; i < pixels.length; i++) worst = Math.max(worst, Math.abs(decoded.pixels[i]! - pixels[i]!));
    expect(worst).toBeLessThanOrEqual(1 / 510 + 1e-7);
    const page = splitDigits(decoded.pixels, decoded.labels);
    const cli = loadBuiltin('digits');
    expect(page.train.fields.label!.data).toEqual(cli.train.fields.label!.data);
    expect(page.test!.fields.label!.data).toEqual(cli.test!.fields.label!.data);
    expect(() => decodeDigitBytes(new Uint8Array(784))).toThrow(/785 bytes per image/);
  });
});
