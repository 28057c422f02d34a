/**
 * The counter-based generator of the `random` kernel: the PCG hash (O'Neill's pcg-rxs-m-xs, as the
 * WGSL dropout uses it), so every element's draw is a function of (element index, step seed, the
 * op's seed) alone and the CPU and WGSL kernels produce the same bits. Part of the plan contract:
 * both back ends implement exactly this (compiler/emit/webgpu/templates/random.ts writes it in WGSL).
 */
export function pcg(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The key of one step of one op: pcg(step seed ^ pcg(op seed)). */
export function randomKey(stepSeed: number, opSeed: number): number {
  return pcg((stepSeed >>> 0) ^ pcg(opSeed >>> 0));
}

/** A uniform in [0, 1) from 24 bits of the hash of counter `n` under `key`. */
export function uniformAt(n: number, key: number): number {
  return (pcg((n >>> 0) ^ key) >>> 8) / 16777216;
}

/** Element i of a standard normal draw: Box–Muller on the uniforms of counters 2i and 2i + 1. */
export function normalAt(i: number, key: number): number {
  const u1 = uniformAt(2 * i, key) + 0.5 / 16777216;
  const u2 = uniformAt(2 * i + 1, key);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
