/**
 * The pointer lists of the indirect and gathered convolutions (conv-indirect.ts, conv-gather.ts),
 * kept between calls. They depend only on the convolution's geometry and on where its source and
 * zeros sit in the module's memory, which stay put from one training step to the next; so a table is
 * built once (one pointer per output pixel and tap) and each later call copies it in with one memcpy.
 * Tables larger than MAX_ENTRIES are not kept (their callers build the lists chunk by chunk), and at
 * most MAX_TABLES are: the oldest is dropped first.
 */
const MAX_ENTRIES = 4 * 1024 * 1024;
const MAX_TABLES = 32;

const tables = new Map<string, Int32Array>();
let maxEntries = MAX_ENTRIES;

/**
 * Sets the largest table kept (default 4M pointers) and returns the previous limit; 0 keeps none,
 * so that tests run the chunk-by-chunk path too.
 */
export function limitPointerTables(entries: number): number {
  const previous = maxEntries;
  maxEntries = entries;
  tables.clear();
  return previous;
}

/**
 * The table under `key` (which must name everything its contents depend on), built by `build` into
 * `entries` zeroed values when missing; null when too large to keep.
 */
export function pointerTable(key: string, entries: number, build: (into: Int32Array) => void): Int32Array | null {
  const kept = tables.get(key);
  if (kept) return kept;
  if (entries > maxEntries) return null;
  if (tables.size >= MAX_TABLES) tables.delete(tables.keys().next().value!);
  const table = new Int32Array(entries);
  build(table);
  tables.set(key, table);
  return table;
}
