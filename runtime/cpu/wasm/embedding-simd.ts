import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { normalizationKernels } from '../kernels/normalization.js';
import { parallelFor } from '../threads/threaded-module.js';
import { EMBEDDING_FUNCTIONS, embeddingModuleBytes } from './embedding-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout, floatsOf, intsOf } from './kernel-memory.js';

/**
 * embedding_grad on WebAssembly SIMD (embedding-module.ts): the table's gradient zeroed, then dy's
 * rows added into the rows the ids name, in order, the columns split over the worker pool, in the
 * GEMM module's memory (operands in place when they lie there, else copied); the JS kernel's bits.
 * The ids are checked and written as i32 in scratch first: an id outside the table (which the
 * forward lookup rejects) runs the JS kernel, so the module never writes outside the gradient.
 */
const embeddingModule = overGemmMemory<Record<(typeof EMBEDDING_FUNCTIONS)[number], (...args: number[]) => void>>(embeddingModuleBytes, EMBEDDING_FUNCTIONS);

/** Below this many values of dy, the call costs about what the JS loop does. */
const MIN_VALUES = 256;

/** One value's work in the threshold's multiply-adds: a load, an add and a store, memory-bound. */
const VALUE_COST = 4;

/** The export's argument list (dy, ids, out, rows, dimBytes), refilled per call. */
const args = [0, 0, 0, 0, 0];

const fallback = normalizationKernels.embedding_grad;

export const embeddingGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const table = outputs[0]!;
  const dim = table.shape[table.shape.length - 1] ?? 1;
  const vocab = table.shape[0] ?? 1;
  const dy = f32(inputs[0]!);
  const ids = inputs[1]!.data;
  const out = f32(table);
  const module = dy.length >= MIN_VALUES && dy.length === ids.length * dim ? embeddingModule() : null;
  if (!module) return fallback(ctx, inputs, outputs, attrs);
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const idsAt = call.scratch(ids.length);
  const ints = intsOf(memory);
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (!(Number.isInteger(id) && id >= 0 && id < vocab)) return fallback(ctx, inputs, outputs, attrs);
    ints[idsAt / 4 + r] = id;
  }
  args[0] = call.input(dy);
  args[1] = idsAt;
  const outAt = call.output(out);
  floatsOf(memory).fill(0, outAt / 4, outAt / 4 + out.length);
  args[2] = outAt;
  args[3] = ids.length;
  args[4] = dim * 4;
  parallelFor(module.threaded, 'embedding_grad', args, Math.ceil(dim / 4), dy.length * VALUE_COST);
  call.copyOut(out, outAt);
};
