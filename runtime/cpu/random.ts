/**
 * The runtime's PRNG for dropout masks: mulberry32 seeded by FNV-1a of (step seed, kernel seed).
 * The same construction as compiler/emit/init-weights.ts (kept separate: the runtime never imports
 * the compiler), so a run is reproducible from its seed.
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

export function mixSeeds(a: number, b: number): number {
  let h = (0x811c9dc5 ^ a) >>> 0;
  for (let i = 0; i < 4; i++) {
    h ^= (b >>> (8 * i)) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
