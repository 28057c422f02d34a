import { Op, Type } from './wasm-bytes.js';
import type { WasmFunction } from './wasm-function.js';

/**
 * Code for per-channel sums over the rows of [rows, C] tensors (channels last) with the sums held in
 * registers: batchnorm's and groupnorm's statistics and gradients and every bias gradient
 * (norm-module.ts), layernorm's parameter gradients (layernorm-module.ts). The channel groups
 * [from, to) (byte offsets, 16 bytes = 4 channels a group) go by runs of 4, then 2, then 1 group: a
 * run loads its sums (vectors in memory) into locals once, adds every row's terms into them, rows in
 * order, and stores them once. Each channel's sum still starts from the value in memory and adds the
 * rows in order, as the JS kernels do (runtime/cpu/kernels/normalization.ts, elementwise.ts's
 * sum_to), so it is the same float32 sum whichever run, and whichever thread, takes its group.
 *
 * Why registers: a sum kept in memory (load, add, store per row) chains every row's add through a
 * store-to-load forwarding, ~8 cycles a row per group, and with C = 16 (4 groups) only 4 such chains
 * run side by side. A run of 4 groups in locals chains only the adds (~4 cycles) and does no store
 * per row. One thread, CPU time per call, best of 7 × 20, operands in the kernels' memory, interleaved
 * A/B on a shared, loaded 2-core machine (NNET_THREADS=1 nice node bench/cpu/channel-sums.mjs <checkout>), memory → registers, ms:
 *   [32, 32, 32, 16]  batchnorm (training) 0.42–0.81 → 0.26,  batchnorm_grad 0.53 → 0.41,  sum_to 0.111 → 0.031
 *   [32, 8, 8, 64]    batchnorm 0.078 → 0.059,  batchnorm_grad 0.104 → 0.097–0.104,  sum_to 0.018 → 0.010
 *   [43264, 32]       batchnorm 0.91–1.2 → 0.77,  batchnorm_grad 1.18–1.42 → 1.06–1.10,  sum_to 0.195 → 0.131
 * Tried and dropped: the rows by blocks of 8 KiB (every run over a block before the next, for the
 * big tensors' cache lines): no faster, mostly slower, in the same runs.
 * The model's step (NNET_THREADS=1 nice node bench/zoo/step-time.mjs <checkout> ResNet20 VggBn, ms
 * CPU a step): ResNet20 545 → 519, VggBn 1554 → 1528. A run of 4 groups is 4 accumulators a sum (8
 * for batchnorm_grad's two, with its 8 mean and 1/σ vectors: V8 on x64 has 16 vector registers and
 * spills some of those, loads off the sums' chains).
 *
 * The function declares the i32 locals `r` (the row) and `j` (the run's first group, bytes) and has
 * the i32 parameters `rows` and `cBytes`; these helpers declare the rest.
 */
type Code = readonly number[];

/** Group k of a run: its operands' vectors and its sums' locals. */
interface RunGroup {
  /** The vector of [rows, C] tensor `t` (a base address parameter) at the current row, this group. */
  element(t: string): number[];
  /** The per-channel vector at `c` (a base address parameter), this group (in a local for the run). */
  channel(c: string): number[];
  /** sum += value, for the per-channel sum at `s` (a base address parameter), this group. */
  accumulate(s: string, value: Code): number[];
}

export interface ChannelSums {
  /** Base addresses of the per-channel vectors summed into. */
  sums: readonly string[];
  /** Base addresses of the [rows, C] tensors read, row by row. */
  tensors: readonly string[];
  /** Base addresses of the per-channel vectors read (mean, 1/σ), held in locals through a run. */
  channels: readonly string[];
  /** Code once a row, before its groups (layernorm's per-row mean and 1/σ into locals), if any. */
  perRow?: Code;
  /** Group `group`'s terms, added into its sums. */
  terms(group: RunGroup): Code;
}

/** The widths of the runs, in groups, widest first: any count of groups is runs of these. */
const RUN_WIDTHS = [4, 2, 1] as const;
const GROUP_BYTES = 16;

const sumLocal = (s: string, k: number): string => `sum ${s} ${k}`;
const channelLocal = (c: string, k: number): string => `channel ${c} ${k}`;
const pointerLocal = (t: string): string => `row of ${t}`;

/** The per-channel sums of `spec` for the channel groups [from, to) (byte offsets), over rows [0, rows). */
export function channelSums(f: WasmFunction, spec: ChannelSums, from: Code, to: Code): number[] {
  const widest = RUN_WIDTHS[0];
  for (let k = 0; k < widest; k++) {
    f.declare(Type.v128, ...spec.sums.map((s) => sumLocal(s, k)), ...spec.channels.map((c) => channelLocal(c, k)));
  }
  f.declare(Type.i32, 'sums to', ...spec.tensors.map(pointerLocal));
  const fits = (width: number): number[] => [...f.get('j'), ...Op.i32Const(width * GROUP_BYTES), ...Op.i32Add, ...f.get('sums to'), ...Op.i32GtS];
  return [
    ...f.set('j', from),
    ...f.set('sums to', to),
    // Runs of the widest while one fits, then at most one of each narrower width.
    ...Op.block, ...Op.loop,
    ...fits(widest), ...Op.brIf(1),
    ...run(f, spec, widest),
    ...Op.br(0), ...Op.end, ...Op.end,
    ...RUN_WIDTHS.slice(1).flatMap((width) => [...fits(width), ...Op.i32Eqz, ...Op.if, ...run(f, spec, width), ...Op.end]),
  ];
}

/** The `width` groups from j: sums into locals, every row added, sums back; j moves past them. */
function run(f: WasmFunction, spec: ChannelSums, width: number): number[] {
  const groups = Array.from({ length: width }, (_, k) => k);
  const vectorAt = (base: string, k: number): number[] => [...f.get(base), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(k * GROUP_BYTES)];
  const group = (k: number): RunGroup => ({
    element: (t) => [...f.get(pointerLocal(t)), ...Op.v128Load(k * GROUP_BYTES)],
    channel: (c) => f.get(channelLocal(c, k)),
    accumulate: (s, value) => f.set(sumLocal(s, k), [...f.get(sumLocal(s, k)), ...value, ...Op.f32x4Add]),
  });
  return [
    ...groups.flatMap((k) => [...spec.sums.map((s) => f.set(sumLocal(s, k), vectorAt(s, k))), ...spec.channels.map((c) => f.set(channelLocal(c, k), vectorAt(c, k)))].flat()),
    ...spec.tensors.flatMap((t) => f.set(pointerLocal(t), [...f.get(t), ...f.get('j'), ...Op.i32Add])),
    ...f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [
      ...(spec.perRow ?? []),
      ...groups.flatMap((k) => spec.terms(group(k))),
      ...spec.tensors.flatMap((t) => f.bump(pointerLocal(t), f.get('cBytes'))),
    ]),
    ...groups.flatMap((k) => spec.sums.flatMap((s) => [...f.get(s), ...f.get('j'), ...Op.i32Add, ...f.get(sumLocal(s, k)), ...Op.v128Store(k * GROUP_BYTES)])),
    ...f.bump('j', Op.i32Const(width * GROUP_BYTES)),
  ];
}
