import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';

/**
 * Copies of `tensors` in blocks of the WASM kernels' memory, as an executor binds its tensors (so a
 * kernel reads and writes them where they lie), and a function that gives the blocks back. Each block
 * has 64 bytes of slack after the tensor, as the executor leaves.
 */
export function placedInKernelMemory(tensors: CpuTensor[]): { tensors: CpuTensor[]; free: () => void } {
  const heap = kernelHeap(sgemmModule()!.memory);
  const blocks: number[] = [];
  const placed = tensors.map((x) => {
    const at = heap.allocate(x.data.length * 4 + 64);
    blocks.push(at);
    const data = heap.view(x.data instanceof Int32Array ? 'i32' : 'f32', at, x.data.length);
    data.set(x.data);
    return { shape: x.shape, data };
  });
  return { tensors: placed, free: () => blocks.forEach((at) => heap.free(at)) };
}
