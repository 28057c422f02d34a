/** Data and bounds the CPU kernel tests share. */

/** The unit roundoff of float32, 2⁻²⁴: a float32 sum of k terms is within ~k·U·Σ|terms| of the exact sum. */
export const U = 2 ** -24;

/** `n` deterministic values in [−1, 1], a different wave for each `seed`. */
export const random = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 3.7 + i * 1.13));

/** The number of elements of a tensor of `shape`. */
export const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
