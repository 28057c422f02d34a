import { Op, u32 } from './wasm-bytes.js';
import type { WasmFunction } from './wasm-function.js';

/**
 * Code for kernels that work on a matrix row by row (softmax-module.ts, layernorm-module.ts): a row
 * of `cBytes` bytes is walked as whole vectors (16 bytes) and then, when its length is not a multiple
 * of 4 floats, as single floats (the tail), each loaded into a vector so that the same vector code
 * computes it. Functions using these declare i32 locals `r`, `j`, `row` and `c16`, and take
 * parameters `cBytes`, `start` and `end` (the rows [start, end): the tiles of threads/threaded-module.ts).
 */
type Code = readonly number[];

export const Simd = {
  const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)],
  /** A vector of all ones bits in lane 0, zeros elsewhere (v128.and keeps lane 0 of a value). */
  lane0: [0xfd, ...u32(0x0c), 0xff, 0xff, 0xff, 0xff, ...new Array<number>(12).fill(0)],
  f32x4Div: [0xfd, ...u32(0xe7)],
  f32x4Max: [0xfd, ...u32(0xe9)],
  f32x4Sqrt: [0xfd, ...u32(0xe3)],
  /** Loads one float32 into lane 0, zeros into the others. */
  v128Load32Zero: [0xfd, ...u32(0x5c), 2, 0],
  f32Sub: [0x93],
  f32Div: [0x95],
  f32Max: [0x97],
  f32Sqrt: [0x91],
  /** The byte offsets of the four lanes' floats, as i32 lanes (a lane's column: j + lanes). */
  lanes: [0xfd, ...u32(0x0c), ...new Uint8Array(new Int32Array([0, 4, 8, 12]).buffer)],
  i32x4Add: [0xfd, ...u32(0xae)],
  i32x4LtS: [0xfd, ...u32(0x39)],
  /** a & ~b. */
} as const;

/** for r in [start, end), with `row` = r·cBytes: body (c16 = cBytes rounded down to 16 first). */
export function overRows(f: WasmFunction, body: Code): number[] {
  return [
    ...f.set('c16', [...f.get('cBytes'), ...Op.i32Const(-16), ...Op.i32And]),
    ...f.set('row', [...f.get('start'), ...f.get('cBytes'), ...Op.i32Mul]),
    ...f.for('r', f.get('start'), f.get('end'), Op.i32Const(1), [...body, ...f.bump('row', f.get('cBytes'))]),
  ];
}

/** The row's whole vectors: j = 0, 16, … below c16. */
export const vectors = (f: WasmFunction, body: Code): number[] => f.for('j', Op.i32Const(0), f.get('c16'), Op.i32Const(16), body);

/** The row's tail, one float at a time: j = c16, c16 + 4, … below cBytes. */
export const tail = (f: WasmFunction, body: Code): number[] => f.for('j', f.get('c16'), f.get('cBytes'), Op.i32Const(4), body);

/** The byte address base + row + j. */
const at = (f: WasmFunction, base: string): number[] => [...f.get(base), ...f.get('row'), ...Op.i32Add, ...f.get('j'), ...Op.i32Add];

/** The vector at base + row + j. */
export const load = (f: WasmFunction, base: string): number[] => [...at(f, base), ...Op.v128Load(0)];

/** The float at base + row + j in every lane. */
export const splat = (f: WasmFunction, base: string): number[] => [...at(f, base), ...Op.v128Load32Splat(0)];

/** The float at base + row + j in lane 0, zeros elsewhere (a tail term of a sum). */
export const single = (f: WasmFunction, base: string): number[] => [...at(f, base), ...Simd.v128Load32Zero];

/** Stores a vector at base + row + j. */
export const store = (f: WasmFunction, base: string, value: Code): number[] => [...at(f, base), ...value, ...Op.v128Store(0)];

/** Stores lane 0 of a vector at base + row + j (a tail value). */
export const storeLane0 = (f: WasmFunction, base: string, value: Code): number[] => [...at(f, base), ...value, ...Op.f32x4ExtractLane(0), ...Op.f32Store(0)];

/** The sum of a vector's lanes, ((a0 + a1) + a2) + a3, as an f32. */
export function laneSum(f: WasmFunction, v: string): number[] {
  return [0, 1, 2, 3].flatMap((lane) => [...f.get(v), ...Op.f32x4ExtractLane(lane), ...(lane > 0 ? Op.f32Add : [])]);
}

/** The largest of a vector's lanes, as an f32 (NaN if any is). */
export function laneMax(f: WasmFunction, v: string): number[] {
  return [0, 1, 2, 3].flatMap((lane) => [...f.get(v), ...Op.f32x4ExtractLane(lane), ...(lane > 0 ? Simd.f32Max : [])]);
}

export const add = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Add];
export const sub = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Sub];
export const mul = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Mul];
export const div = (a: Code, b: Code): number[] => [...a, ...b, ...Simd.f32x4Div];
export const max = (a: Code, b: Code): number[] => [...a, ...b, ...Simd.f32x4Max];
