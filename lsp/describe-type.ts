import type { TensorType } from '../compiler/ir/types.js';

/** `[batch, 128]`, with ` int` for integer tensors: the notation of docs/language.md. */
export function describeType(type: TensorType): string {
  const shape = `[${type.shape.join(', ')}]`;
  return type.dtype === 'i32' ? `${shape} int` : shape;
}

/** `1,234,567` */
export function describeCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `401.4K`, `1.2M`, `3.1G` for large counts (FLOPs). */
export function describeMagnitude(n: number): string {
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(n) >= size) return `${(n / size).toFixed(1)}${suffix}`;
  }
  return String(Math.round(n));
}
