import { poolStats } from '../../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../../runtime/cpu/threads/thread-count.js';
import { sgemmModule, sgemmSimd } from '../../../../runtime/cpu/wasm/sgemm-simd.js';

/**
 * Sets `threads` and waits until the pool's workers take jobs: the pool starts them without waiting,
 * and a call made before they are ready runs on the calling thread alone.
 */
export async function warmPool(threads: number): Promise<void> {
  setCpuThreads(threads);
  const module = sgemmModule()!;
  const [m, n, k] = [128, 128, 128];
  const c = new Float32Array(m * n);
  const product = (): void => sgemmSimd(module, new Float32Array(m * k), k, 1, new Float32Array(k * n), n, 1, c, m, n, k);
  for (let attempt = 0; attempt < 200 && poolStats().workers < threads - 1; attempt++) product();
  const before = poolStats().jobs;
  for (let attempt = 0; attempt < 200 && poolStats().jobs === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    product();
  }
}

/** The float32 bits of `data`, for exact comparisons. */
export const bits = (data: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(data as ArrayLike<number>).buffer));
