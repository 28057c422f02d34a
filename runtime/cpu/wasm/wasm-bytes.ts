/**
 * Just enough of the WebAssembly binary format to write one small module by hand: LEB128 numbers,
 * sections, and the opcodes the matmul and gemv kernels use. (No WAT assembler is available to the build, and a
 * dependency for ~60 instructions is not worth it.) Spec: https://webassembly.github.io/spec/core/binary/
 */
export function u32(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function i32(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

// concat, not flat() or spreading: the sgemm module's bodies run to 100 K numbers, and flat() took
// 15 ms for those (a tenth of a millisecond by concat), most of the time its bytes took to write.
export function vector(items: number[][]): number[] {
  return u32(items.length).concat(...items);
}

export function section(id: number, body: number[]): number[] {
  return [id, ...u32(body.length)].concat(body);
}

export const Type = { i32: 0x7f, f32: 0x7d, v128: 0x7b, func: 0x60, emptyBlock: 0x40 } as const;

/** Instructions, as byte arrays to concatenate. SIMD ones carry the 0xfd prefix. */
export const Op = {
  localGet: (index: number) => [0x20, ...u32(index)],
  /** i8x16.shuffle of two vectors by 16 byte indices (0–15 the first, 16–31 the second). */
  i8x16Shuffle: (lanes: readonly number[]) => [0xfd, ...u32(0x0d), ...lanes],
  localSet: (index: number) => [0x21, ...u32(index)],
  localTee: (index: number) => [0x22, ...u32(index)],
  i32Const: (value: number) => [0x41, ...i32(value)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32RemU: [0x70],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32LtU: [0x49],
  i32GeS: [0x4e],
  i32GtS: [0x4a],
  i32LtS: [0x48],
  i32And: [0x71],
  /** The first operand if the third (i32) is nonzero, else the second. */
  select: [0x1b],
  block: [0x02, Type.emptyBlock],
  i32GeU: [0x4f],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  call: (func: number) => [0x10, ...u32(func)],
  else: [0x05],
  loop: [0x03, Type.emptyBlock],
  if: [0x04, Type.emptyBlock],
  br: (depth: number) => [0x0c, ...u32(depth)],
  brIf: (depth: number) => [0x0d, ...u32(depth)],
  end: [0x0b],
  /** Loads an i32 (a byte address, in the indirect kernel's pointer lists). */
  i32Load: (offset: number) => [0x28, 2, ...u32(offset)],
  /** memarg: log2 of the alignment hint, then a constant byte offset. */
  v128Load: (offset: number) => [0xfd, ...u32(0x00), 4, ...u32(offset)],
  /** Loads 8 bytes (two float32) into the low half, zeroing the high half. */
  v128Load64Zero: (offset: number) => [0xfd, ...u32(0x5d), 3, ...u32(offset)],
  v128Load64Splat: (offset: number) => [0xfd, ...u32(0x0a), 3, ...u32(offset)],
  v128Store: (offset: number) => [0xfd, ...u32(0x0b), 4, ...u32(offset)],
  /** Stores lane `lane` (a float32) of a vector at address + offset. */
  v128Store32Lane: (offset: number, lane: number) => [0xfd, ...u32(0x5a), 2, ...u32(offset), lane],
  v128Zero: [0xfd, ...u32(0x0c), ...new Array<number>(16).fill(0)],
  f64x2Add: [0xfd, ...u32(0xf0)],
  f64x2Mul: [0xfd, ...u32(0xf2)],
  /** The two low float32 lanes, widened exactly to float64. */
  f64x2PromoteLowF32x4: [0xfd, ...u32(0x5f)],
  f64x2ExtractLane: (lane: number) => [0xfd, ...u32(0x21), lane],
  f64Add: [0xa0],
  f32DemoteF64: [0xb6],
  f32Store: (offset: number) => [0x38, 2, ...u32(offset)],
  f32Load: (offset: number) => [0x2a, 2, ...u32(offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32Lt: [0x5d],
  f32Gt: [0x5e],
  f32x4ExtractLane: (lane: number) => [0xfd, ...u32(0x1f), lane],
  f32Const: (value: number) => [0x43, ...new Uint8Array(Float32Array.of(value).buffer)],
  /** Loads one float32 into all four lanes. */
  v128Load32Splat: (offset: number) => [0xfd, ...u32(0x09), 2, ...u32(offset)],
  f32x4Splat: [0xfd, ...u32(0x13)],
  i32x4Splat: [0xfd, ...u32(0x11)],
  i32x4Eq: [0xfd, ...u32(0x37)],
  v128And: [0xfd, ...u32(0x4e)],
  /** a & ~b (the first operand and not the second). */
  v128AndNot: [0xfd, ...u32(0x4f)],
  v128Or: [0xfd, ...u32(0x50)],
  /** Lanes of the first operand where the mask (third) is set, of the second elsewhere. */
  v128Bitselect: [0xfd, ...u32(0x52)],
  f32x4Lt: [0xfd, ...u32(0x43)],
  f32x4Gt: [0xfd, ...u32(0x44)],
  f32x4Add: [0xfd, ...u32(0xe4)],
  f32x4Sub: [0xfd, ...u32(0xe5)],
  f32x4Mul: [0xfd, ...u32(0xe6)],
  /** Pseudo-maximum: a < b ? b : a, lane-wise (so pmax(x, 0) is `x < 0 ? 0 : x`, NaN and -0 kept). */
  f32x4Pmax: [0xfd, ...u32(0xeb)],
  /** Pseudo-minimum: b < a ? b : a, lane-wise (one instruction on x86, where f32x4.min is about eight). */
  f32x4Pmin: [0xfd, ...u32(0xea)],
  /** Relaxed SIMD: a·b + c, fused or not as the hardware does it (validates only where enabled). */
  f32x4RelaxedMadd: [0xfd, ...u32(0x105)],
} as const;

const MAGIC_AND_VERSION = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * A module's bytes: the header, then `sections` in order. Copied in with `set`, not spread into an
 * array literal: the writers run once, unoptimised, and there every spread after a literal's first
 * runs as a bytecode loop over the elements (~100 ns each) — spreading the GEMM module's 245 KB took
 * longer than writing its code. The same holds for any large array of code: join with concat.
 */
export function moduleBytes(...sections: ReadonlyArray<readonly number[]>): Uint8Array<ArrayBuffer> {
  let length = MAGIC_AND_VERSION.length;
  for (const part of sections) length += part.length;
  const bytes = new Uint8Array(length);
  bytes.set(MAGIC_AND_VERSION);
  let at = MAGIC_AND_VERSION.length;
  for (const part of sections) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/**
 * The import section of a module whose memory is given to it (env.memory), so that worker threads can
 * instantiate the same module over the same memory: shared (limits flag 3, a maximum is required) or
 * not (flag 1). It goes right after the type section, before the function section.
 */
export function importedMemorySection(shared: boolean, maxPages: number): number[] {
  const limits = [shared ? 0x03 : 0x01, ...u32(1), ...u32(maxPages)];
  return section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]));
}

/** One function of a module built by `moduleOfFunctions`: its export name, its type and its body. */
export interface ModuleFunction {
  readonly name: string;
  readonly type: number[];
  readonly body: number[];
}

/**
 * The module most kernel families are: each function with its own type, exported under its name in
 * order, over the memory `memory` imports (importedMemorySection).
 */
export function moduleOfFunctions(functions: readonly ModuleFunction[], memory: number[]): Uint8Array<ArrayBuffer> {
  return moduleBytes(
    section(1, vector(functions.map((f) => f.type))),
    memory,
    section(3, vector(functions.map((_, i) => u32(i)))),
    section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)]))),
    section(10, vector(functions.map((f) => f.body))),
  );
}
