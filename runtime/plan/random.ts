/**
 * mulberry32, the one PRNG of nnet: the compiler's weight initialisers, the runtime's dropout masks
 * and data shuffles, and the tests' generators all draw from it, so a run is reproducible from its
 * seed. Part of the plan contract because writer (initial weights) and reader (dropout) must agree.
 * Small and fast; not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
