/** A tensor in host memory: what callers hand to an executor and get back from it. */
export type HostData = Float32Array | Int32Array;

export interface HostTensor {
  shape: number[];
  dtype: 'f32' | 'i32';
  data: HostData;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function f32(shape: number[], data?: ArrayLike<number>): HostTensor {
  const t = new Float32Array(sizeOf(shape));
  if (data) t.set(data);
  return { shape, dtype: 'f32', data: t };
}

export function i32(shape: number[], data?: ArrayLike<number>): HostTensor {
  const t = new Int32Array(sizeOf(shape));
  if (data) t.set(data);
  return { shape, dtype: 'i32', data: t };
}

/** The first tensor holding a NaN or an infinity, or null. */
export function firstNonFiniteTensor(tensors: ReadonlyMap<string, HostTensor>): string | null {
  for (const [name, tensor] of tensors) {
    const data = tensor.data;
    for (let i = 0; i < data.length; i++) if (data[i]! - data[i]! !== 0) return name;
  }
  return null;
}
