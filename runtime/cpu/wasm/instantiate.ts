/**
 * Compiles and instantiates a hand-assembled module; null when this host cannot (no WebAssembly, or
 * no SIMD: the module does not validate). Callers fall back to their JS kernels then.
 */
export function instantiateSimd(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Exports | null {
  try {
    if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  } catch {
    return null;
  }
}
