import { Random } from '../data/random.js';
import type { HostData, HostTensor } from '../tensor.js';
import type { AugmentSpec } from '../plan/train-settings.js';

/**
 * Data augmentation, applied to a training batch's input tensors (never to labels, validation or
 * test data). Images are [n, height, width] or [n, height, width, channels] (channels last):
 *   noise: adds N(0, std²) to every value (any float input);
 *   shift: moves each image by a random whole number of pixels in [−p, p] on both axes, zero fill;
 *   flip:  mirrors each image left–right with probability 0.5.
 * Returns new tensors; the dataset is not modified.
 */
export function augmentBatch(tensor: HostTensor, augments: readonly AugmentSpec[], random: Random): HostTensor {
  // The batch's own values until an augmentation writes new ones (a copy only where one is needed).
  let data: HostData = tensor.data;
  let copied = false;
  for (const augment of augments) {
    if (augment.kind === 'noise') {
      if (!copied) data = new Float32Array(data);
      copied = true;
      for (let i = 0; i < data.length; i++) data[i] = data[i]! + augment.std * random.normal();
      continue;
    }
    const image = imageLayout(tensor.shape);
    if (!image) {
      throw new Error(`${augment.kind} augmentation needs image inputs [n, height, width(, channels)], got [${tensor.shape.join(', ')}]`);
    }
    data = augment.kind === 'shift' ? shiftImages(data, image, augment.pixels, random) : flipImages(data, image, random);
    copied = true;
  }
  return { shape: tensor.shape, dtype: 'f32', data: copied ? data : new Float32Array(data) };
}

interface ImageLayout {
  count: number;
  height: number;
  width: number;
  channels: number;
}

function imageLayout(shape: readonly number[]): ImageLayout | null {
  if (shape.length !== 3 && shape.length !== 4) return null;
  return { count: shape[0]!, height: shape[1]!, width: shape[2]!, channels: shape[3] ?? 1 };
}

function shiftImages(data: HostData, image: ImageLayout, pixels: number, random: Random): Float32Array {
  const { count, height, width, channels } = image;
  const size = height * width * channels;
  const out = new Float32Array(data.length);
  for (let n = 0; n < count; n++) {
    const dy = random.int(2 * pixels + 1) - pixels;
    const dx = random.int(2 * pixels + 1) - pixels;
    // Each kept row is one run of values: output columns max(0, dx) … width + min(0, dx), read dx columns to the left.
    const run = (width - Math.abs(dx)) * channels;
    const firstColumn = Math.max(0, dx) * channels;
    for (let y = Math.max(0, dy); y < height + Math.min(0, dy); y++) {
      const to = n * size + y * width * channels + firstColumn;
      const from = n * size + (y - dy) * width * channels + firstColumn - dx * channels;
      for (let i = 0; i < run; i++) out[to + i] = data[from + i]!;
    }
  }
  return out;
}

function flipImages(data: HostData, image: ImageLayout, random: Random): Float32Array {
  const { count, height, width, channels } = image;
  const size = height * width * channels;
  const out = new Float32Array(data);
  for (let n = 0; n < count; n++) {
    if (random.next() >= 0.5) continue;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          out[n * size + (y * width + x) * channels + c] = data[n * size + (y * width + (width - 1 - x)) * channels + c]!;
        }
      }
    }
  }
  return out;
}
