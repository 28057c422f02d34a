import { holdBetweenCalls, kernelHeap, type KernelHeap } from './kernel-memory.js';

/**
 * The pointer lists of the indirect and gathered convolutions (conv-indirect.ts, conv-gather.ts),
 * kept between calls. They depend only on the convolution's geometry and on where its source and
 * zeros sit in the module's memory, which stay put from one training step to the next; so a table is
 * built once (one pointer per output pixel and tap) and each later call copies it in with one memcpy.
 * Tables larger than MAX_ENTRIES are not kept (their callers build the lists chunk by chunk), and at
 * most KEPT_ENTRIES pointers are kept in all: the oldest tables are dropped first. The budget is in
 * pointers, not tables, because a training step uses its tables in a cycle (each convolution's
 * forward, input and weight gradient): once they do not all fit, dropping the oldest drops the one
 * needed next and none is ever reused. ResNet-20's step needs 68 tables of 35 M pointers (140 MB)
 * in all; a cap of 32 tables made it build them every step, ~15% of its CPU time (2026-12-04).
 */
const MAX_ENTRIES = 4 * 1024 * 1024;
const KEPT_ENTRIES = 64 * 1024 * 1024;

const tables = new Map<string, Int32Array>();
/** The pointers of the tables kept, in all. */
let keptEntries = 0;
let maxEntries = MAX_ENTRIES;
/** The heap blocks of tables kept in a kernel memory (`pointerTable`'s `memory`), to free them when dropped. */
const blocks = new WeakMap<Int32Array, { heap: KernelHeap; address: number }>();

/**
 * Sets the largest table kept (default 4M pointers) and returns the previous limit; 0 keeps none,
 * so that tests run the chunk-by-chunk path too.
 */
export function limitPointerTables(entries: number): number {
  const previous = maxEntries;
  maxEntries = entries;
  for (const table of tables.values()) release(table);
  tables.clear();
  return previous;
}

/**
 * The table under `key` (which must name everything its contents depend on), built by `build` into
 * `entries` zeroed values when missing; null when too large to keep. With `memory` (a shared kernel
 * memory), the table is kept in a block of it (kernel-memory.ts), so the kernel reads the lists
 * where they are (`addressIn`) with no copy per call; the caller must ask for it before laying out its
 * scratch, as the block may be placed where the scratch was.
 */
export function pointerTable(key: string, entries: number, build: (into: Int32Array) => void, memory?: WebAssembly.Memory): Int32Array | null {
  const kept = tables.get(key);
  if (kept) return kept;
  if (entries > maxEntries) return null;
  while (tables.size > 0 && keptEntries + entries > KEPT_ENTRIES) {
    const oldest = tables.keys().next().value!;
    release(tables.get(oldest)!);
    tables.delete(oldest);
  }
  let table: Int32Array;
  if (memory && kernelHeap(memory).shared) {
    const heap = kernelHeap(memory);
    const address = heap.allocate(entries * 4);
    table = heap.view('i32', address, entries) as Int32Array;
    table.fill(0);
    blocks.set(table, { heap, address });
  } else {
    table = new Int32Array(entries);
  }
  build(table);
  tables.set(key, table);
  keptEntries += entries;
  return table;
}

function release(table: Int32Array): void {
  keptEntries -= table.length;
  const block = blocks.get(table);
  if (block) block.heap.free(block.address);
}

// Tables kept in a kernel memory are dropped when an executor is disposed (kernel-memory.ts): they
// point into its tensors, and their blocks may sit anywhere in the heap. Plain-array tables stay.
holdBetweenCalls(() => {
  for (const [key, table] of tables) {
    if (!blocks.has(table)) continue;
    release(table);
    tables.delete(key);
  }
});
