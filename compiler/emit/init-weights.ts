import type { InitSpec, Shape } from '../ir/types.js';
import { mulberry32 } from '../../runtime/plan/random.js';

/**
 * Deterministic parameter initialisers. Each parameter draws from its own PRNG stream seeded by
 * (run seed, parameter name), so adding a layer does not change the initial values of the others.
 * Pure functions with no runtime dependency: the compiler calls them when it emits weights.
 *
 * Fans follow Keras: for a weight of shape [out, ...rest] (dense [units, in], conv [filters, kh, kw, c]),
 * fanIn = product(rest), fanOut = out × receptive field (kh·kw). Rank-1 params use their size for both.
 * The *_normal initialisers draw from a plain (not truncated) normal.
 */


/** FNV-1a hash of a string mixed with a seed. */
export function hashSeed(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * `out[i] = (uniform() * 2 - 1) * limit` for mulberry32 seeded with `seed`, the same values as calling
 * the closure, with the generator's state in a local: a 1,000-layer model draws millions of values
 * per compile and the closure call per value was most of the compile time. The arithmetic stays in
 * int32 (no uint32 → double conversion): with u the generator's uint32 output, (u / 2³² · 2 − 1) · limit
 * is the exact real (u − 2³¹) · (limit / 2³¹), and u − 2³¹ is u's bits with the top one flipped read
 * as int32, so both forms round the same product once and give the same doubles (hence floats).
 */
function fillUniformStream(out: Float32Array, seed: number, limit: number): void {
  const scale = limit / 2147483648;
  let a = seed | 0;
  for (let i = 0; i < out.length; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14) ^ -0x80000000) * scale;
  }
}

function normalSampler(next: () => number): () => number {
  return () => {
    const u = Math.max(next(), 1e-12);
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = shape.slice(1, -1).reduce((a, b) => a * b, 1);
  const rest = shape.slice(1).reduce((a, b) => a * b, 1);
  return { fanIn: rest, fanOut: shape[0]! * receptive };
}

/** fanIn + fanOut, the Glorot initialisers' denominator. */
function glorotFans(shape: readonly number[]): number {
  const { fanIn, fanOut } = fans(shape);
  return fanIn + fanOut;
}

export class InitError extends Error {}

export function concreteShape(shape: Shape, what: string): number[] {
  return shape.map((d) => {
    if (typeof d !== 'number') throw new InitError(`${what} has symbolic dim '${d}'; parameters need concrete shapes`);
    return d;
  });
}

export function initialValues(init: InitSpec, shape: readonly number[], seed: number, name: string): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  // The generators (and fans, below) are made only by the initialisers that use them: a 1,000-layer model
  // initialises thousands of parameters per compile, and unused closures are garbage to collect.
  const newUniform = (): (() => number) => mulberry32(hashSeed(seed, name));
  const fillUniform = (limit: number): void => fillUniformStream(out, hashSeed(seed, name), limit);
  const fillNormal = (mean: number, std: number): void => {
    const normal = normalSampler(newUniform());
    for (let i = 0; i < size; i++) out[i] = mean + std * normal();
  };
  switch (init.kind) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'constant':
      out.fill(init.value);
      break;
    case 'glorot_uniform':
      fillUniform(Math.sqrt(6 / glorotFans(shape)));
      break;
    case 'glorot_normal':
      fillNormal(0, Math.sqrt(2 / glorotFans(shape)));
      break;
    case 'he_uniform':
      fillUniform(Math.sqrt(6 / fans(shape).fanIn));
      break;
    case 'he_normal':
      fillNormal(0, Math.sqrt(2 / fans(shape).fanIn));
      break;
    case 'lecun_normal':
      fillNormal(0, Math.sqrt(1 / fans(shape).fanIn));
      break;
    case 'normal':
      fillNormal(init.mean, init.std);
      break;
    case 'uniform': {
      const next = newUniform();
      for (let i = 0; i < size; i++) out[i] = init.low + next() * (init.high - init.low);
      break;
    }
    case 'literal':
      if (init.values.length !== size) throw new InitError(`'${name}' has ${init.values.length} literal values, its shape needs ${size}`);
      out.set(init.values);
      break;
    case 'file':
      throw new InitError(`'${name}': weights loaded from files are read by compileModel, not initialised`);
  }
  return out;
}
