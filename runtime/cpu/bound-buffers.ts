import { STORED_ROLES } from '../plan/check-weights.js';
import { boundShape, checkBoundMaps } from '../plan/bound-shape.js';
import type { Plan } from '../plan/format.js';
import type { Attrs, CpuTensor } from './kernel-interface.js';
import type { KernelHeap } from './wasm/kernel-memory.js';
import { tensorHeap } from './wasm/install.js';

/**
 * Where the tensors of one set of bound dims (a batch size) live: the stored tensors (shared with the
 * executor), and views for the activations and gradients into the compiler's buffer slots, placed
 * once and reused by every call with those dims.
 *
 * Where the WASM kernels compute in a shared WebAssembly memory (wasm/install.ts's `tensorHeap`),
 * the buffer slots are one block of that memory, so the kernels read and write the activations and
 * gradients where they lie (wasm/kernel-memory.ts) instead of copying them in and out per call; the
 * float inputs are copied into their own slots there, once per step, for the same reason. Otherwise
 * (no SIMD, no shared memory) the slots are plain ArrayBuffers and inputs and labels are read from
 * the caller's arrays without copying; labels always are.
 */
export interface Bound {
  /** Its key among the executor's bindings (the bound dims as JSON). */
  key: string;
  tensors: Map<string, CpuTensor>;
  /** The bound values of the plan's symbolic dims. */
  dims: Record<string, number>;
  /** Each step's argument arrays (keyed by the executor's compiled step), made on its first run: a steady-state step allocates none. */
  args: Map<object, StepArgs>;
  /** The block of the kernels' memory holding the tensors, when they live there. */
  block: { heap: KernelHeap; address: number } | null;
  /** Inputs copied into the kernels' memory on each call (their views there), by name. */
  copiedInputs: Map<string, Float32Array>;
}

/** A step's kernel arguments for one binding. */
export interface StepArgs {
  inputs: CpuTensor[];
  outputs: CpuTensor[];
  attrs: Attrs;
}

/** Bytes left after each tensor in the kernels' memory: a kernel may read a row past the last (sgemm-module.ts's row-major B). */
const SLACK_BYTES = 64;
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Frees the memory blocks of bindings that were dropped without `releaseBound` (the executor was collected). */
const blocks = new FinalizationRegistry<{ heap: KernelHeap; address: number }>(({ heap, address }) => heap.free(address));

/** Gives a binding's block of the kernels' memory back (dispose, or a binding evicted for a newer batch size). */
export function releaseBound(bound: Bound): void {
  if (!bound.block) return;
  blocks.unregister(bound);
  bound.block.heap.free(bound.block.address);
  bound.block = null;
}

/**
 * Places every non-stored tensor of `plan` for the bound `dims`: one view per tensor into its
 * buffer slot (tensors sharing a slot share its bytes, as the compiler's memory plan allows), in one
 * block of the kernels' memory when there is one that can hold them, else in plain ArrayBuffers.
 * Labels, and inputs that are not copied in, get no view: the executor points them at the caller's arrays.
 */
export function allocateBound(plan: Plan, stored: ReadonlyMap<string, CpuTensor>, dims: Record<string, number>, key: string): Bound {
  checkBoundMaps(plan, dims);
  const tensors = new Map<string, CpuTensor>(stored);
  const shapes = new Map<string, number[]>();
  const slotBytes: number[] = [];
  const heap = tensorHeap();
  for (const t of plan.tensors) {
    if (STORED_ROLES.has(t.role) || t.role === 'label') continue;
    // Float inputs get a slot of their own in the kernels' memory (copied in per call); else the caller's array.
    if (t.role === 'input' && (heap === null || t.dtype !== 'f32')) continue;
    const shape = boundShape(t, dims);
    shapes.set(t.name, shape);
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    if (t.buffer !== undefined) slotBytes[t.buffer] = Math.max(slotBytes[t.buffer] ?? 0, bytes);
  }
  // Where each slot and each unpooled tensor starts: in one block of the kernels' memory, or its own ArrayBuffer.
  const place = (bytes: number): number => {
    const at = total;
    total += align16(bytes) + SLACK_BYTES;
    return at;
  };
  let total = 0;
  const slotAt = slotBytes.map((bytes) => place(bytes ?? 0));
  const loneAt = new Map<string, number>();
  for (const t of plan.tensors) {
    const shape = shapes.get(t.name);
    if (shape && t.buffer === undefined) loneAt.set(t.name, place(shape.reduce((a, b) => a * b, 1) * 4));
  }
  // A memory that cannot grow that far (wasm32's 4 GiB, or the host's limit): plain arrays, as without one.
  let placed = heap;
  let address = 0;
  try {
    if (placed) address = placed.allocate(total);
  } catch {
    placed = null;
  }
  const slots = placed ? [] : slotBytes.map((bytes) => new ArrayBuffer(bytes ?? 0));
  const copiedInputs = new Map<string, Float32Array>();
  for (const t of plan.tensors) {
    const shape = shapes.get(t.name);
    if (!shape) continue;
    const size = shape.reduce((a, b) => a * b, 1);
    let data: Float32Array | Int32Array;
    if (placed) data = placed.view(t.dtype === 'i32' ? 'i32' : 'f32', address + (t.buffer !== undefined ? slotAt[t.buffer]! : loneAt.get(t.name)!), size);
    else {
      const buffer = t.buffer !== undefined ? slots[t.buffer]! : new ArrayBuffer(size * 4);
      data = t.dtype === 'i32' ? new Int32Array(buffer, 0, size) : new Float32Array(buffer, 0, size);
    }
    tensors.set(t.name, { shape, data });
    if (t.role === 'input') copiedInputs.set(t.name, data as Float32Array);
  }
  const bound: Bound = { key, tensors, dims, args: new Map(), block: placed ? { heap: placed, address } : null, copiedInputs };
  if (bound.block) blocks.register(bound, bound.block, bound);
  return bound;
}
