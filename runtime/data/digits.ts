import { makeDataset, takeRows } from './dataset.js';
import { permutation } from './random.js';
import type { SplitData } from './split-data.js';

/** The built-in splits never depend on the run's seed: every run sees the same test set. */
export const SPLIT_SEED = 20261123;

/**
 * The built-in digits from their images (pixels in [0, 1], 784 per image, in the order the `mnist`
 * package ships them) and labels: shuffled once with a fixed seed, then 80% train and 20% test.
 * Fields: `image` f32 [N, 28, 28] and `label` i32 [N]. Browser-safe: Node reads the package's JSON
 * (builtins.ts), the playground a compact uint8 file with the same images in the same order.
 */
export function splitDigits(pixels: Float32Array, labels: Int32Array): SplitData {
  const all = makeDataset(
    { image: { shape: [labels.length, 28, 28], dtype: 'f32', data: pixels }, label: { shape: [labels.length], dtype: 'i32', data: labels } },
    'label',
  );
  const order = permutation(all.length, SPLIT_SEED);
  const trainCount = Math.round(all.length * 0.8);
  return { train: takeRows(all, order.subarray(0, trainCount)), test: takeRows(all, order.subarray(trainCount)) };
}

/**
 * The compact form of the digits the playground fetches: every image's 784 pixels as bytes
 * (round(p · 255)), then every label as a byte. `count` images.
 */
export function encodeDigitBytes(pixels: Float32Array, labels: Int32Array): Uint8Array {
  const bytes = new Uint8Array(pixels.length + labels.length);
  for (let i = 0; i < pixels.length; i++) bytes[i] = Math.round(pixels[i]! * 255);
  bytes.set(labels, pixels.length);
  return bytes;
}

export function decodeDigitBytes(bytes: Uint8Array): { pixels: Float32Array; labels: Int32Array } {
  const count = bytes.length / 785;
  if (!Number.isInteger(count)) throw new Error(`a digits file holds 785 bytes per image; this one has ${bytes.length}`);
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = bytes[i]! / 255;
  return { pixels, labels: Int32Array.from(bytes.subarray(count * 784)) };
}
