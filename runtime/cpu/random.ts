/**
 * The seed of a dropout mask: FNV-1a of (step seed, kernel seed), fed to mulberry32
 * (runtime/plan/random.ts), so a run is reproducible from its seed.
 */
export function mixSeeds(a: number, b: number): number {
  let h = (0x811c9dc5 ^ a) >>> 0;
  for (let i = 0; i < 4; i++) {
    h ^= (b >>> (8 * i)) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
