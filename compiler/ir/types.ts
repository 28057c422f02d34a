import type { SourceRange } from '../../grammar/ast.js';

/**
 * A dimension: a concrete size, or a symbolic name (`batch`, `seq`) bound when the plan runs.
 * Arithmetic on symbolic dims (`seq - 2` after a valid conv1d) is kept as a small expression string
 * such as `"seq-2"`; `compiler/shapes/dims.ts` owns building and simplifying them.
 */
export type Dim = number | string;
export type Shape = Dim[];

export type DType = 'f32' | 'i32';

export interface TensorType {
  shape: Shape;
  dtype: DType;
}

/** Attribute values stay JSON-serialisable so they can travel into the plan unchanged. */
export type AttrValue = number | string | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

/** How a parameter gets its initial value. */
export type InitSpec =
  | { kind: 'glorot_uniform' | 'glorot_normal' | 'he_uniform' | 'he_normal' | 'lecun_normal' | 'zeros' | 'ones' }
  | { kind: 'constant'; value: number }
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'uniform'; low: number; high: number }
  /** Literal numbers from the source, row-major, already checked against the parameter's shape. */
  | { kind: 'literal'; values: number[] }
  /** Loaded at compile time from a file (safetensors, npy or json), optionally a named tensor in it. */
  | { kind: 'file'; path: string; tensor?: string };

/** Where a node came from, so every later diagnostic and `--explain` line can point at source. */
export interface Origin {
  range: SourceRange;
  /** The user-visible value this node computes or belongs to (`h`, `logits`, `block residual#2/h`). */
  layer: string;
  /** The user-facing op that produced it (`dense`), also after lowering to primitives. */
  op: string;
}
