/**
 * Packed copies of matmul operands that do not change between calls (dense weights, constants).
 *
 * Packing a weight matrix into micro-kernel panels costs a pass over all of it; at small batch sizes
 * that pass costs as much as the product itself. The executor declares which buffers are long-lived
 * (`markCacheable`: parameters and constants) and says when it writes them (`markWritten`: after each
 * optimizer update, after `setWeights`). Kernels then ask `packedOperand` for a packed form, which is
 * rebuilt only when the buffer's version has moved since it was packed. Buffers never declared
 * cacheable (activations, gradients, anything a test passes in) are packed afresh on every call, so a
 * caller that forgets to declare a buffer only loses speed, never correctness.
 */
const versions = new WeakMap<Float32Array, number>();

type PackedArray = Float32Array | Float64Array;

interface Packed {
  version: number;
  data: PackedArray;
}

/** Per buffer, one packed form per layout (a weight is read transposed forward and plain backward). */
const packedForms = new WeakMap<Float32Array, Map<string, Packed>>();

/** Declares a buffer whose contents change only through `markWritten`. */
export function markCacheable(data: Float32Array): void {
  if (!versions.has(data)) versions.set(data, 0);
}

/** Records that a cacheable buffer's contents changed: packed forms of it are stale from now on. */
export function markWritten(data: Float32Array | Int32Array): void {
  if (!(data instanceof Float32Array)) return;
  const version = versions.get(data);
  if (version !== undefined) versions.set(data, version + 1);
}

/**
 * The buffer's current version (moves on each `markWritten`), or undefined when it was never declared
 * cacheable: for caches kept outside JS arrays (a weight resident in WebAssembly memory).
 */
export function operandVersion(data: Float32Array): number | undefined {
  return versions.get(data);
}

/**
 * The packed form of `data` under `layout` (a key naming the packing and its sizes), built by `pack`
 * into a new `kind` array of `size` values when missing or stale. Returns null for buffers not
 * declared cacheable: the caller packs into scratch instead.
 */
export function packedOperand<T extends PackedArray>(
  data: Float32Array,
  layout: string,
  kind: { new (size: number): T },
  size: number,
  pack: (into: T) => void,
): T | null {
  const version = versions.get(data);
  if (version === undefined) return null;
  let forms = packedForms.get(data);
  if (!forms) {
    forms = new Map();
    packedForms.set(data, forms);
  }
  const key = `${kind.name} ${layout}`;
  const cached = forms.get(key) as { version: number; data: T } | undefined;
  if (cached && cached.version === version) return cached.data;
  const into = cached && cached.data.length === size ? cached.data : new kind(size);
  pack(into);
  forms.set(key, { version, data: into });
  return into;
}
