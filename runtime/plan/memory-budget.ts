import { evalDim } from './dims.js';
import type { Plan } from './format.js';

/**
 * How much memory a plan needs at a batch size, and the budget it must fit: the compiler refuses a
 * plan over the budget (NN5007) before allocating its weights, and `nnet run`/`train` refuse a batch
 * over it before creating an executor, naming the figure and the largest tensors instead of dying
 * with "Array buffer allocation failed".
 *
 * The figure is the plan's own memory plan (compiler/emit/memory-plan.ts) re-evaluated at `batch`
 * (pure: the default budget, from the machine's memory, is the CLI's, cli/memory-limit.ts):
 * every persistent tensor (inputs, params, state, optimizer slots, consts) plus each pooled buffer
 * slot at the size of its largest tensor. Other symbolic dims count as their fixed value or 1.
 */
interface MemoryNeed {
  bytes: number;
  batch: number;
  /** The largest tensors, largest first (at most five). */
  largest: Array<{ name: string; bytes: number }>;
}

function memoryNeed(plan: Pick<Plan, 'tensors' | 'dims'>, batch: number): MemoryNeed {
  const bindings: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [name, value] of Object.entries(plan.dims)) bindings[name] = typeof value === 'number' ? value : 1;
  bindings.batch = batch;
  const slots = new Map<number, number>();
  const sizes: Array<{ name: string; bytes: number }> = [];
  let persistent = 0;
  for (const tensor of plan.tensors) {
    let elements = 1;
    for (const dim of tensor.shape) elements *= Math.max(0, evalDim(dim, bindings));
    const bytes = elements * 4;
    sizes.push({ name: tensor.name, bytes });
    if (tensor.buffer === undefined) persistent += bytes;
    else slots.set(tensor.buffer, Math.max(slots.get(tensor.buffer) ?? 0, bytes));
  }
  let pooled = 0;
  for (const bytes of slots.values()) pooled += bytes;
  sizes.sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
  return { bytes: persistent + pooled, batch, largest: sizes.slice(0, 5) };
}

/** `1.5 GiB`, `300.0 MiB`, `12.0 KiB`, `512 bytes`. */
function bytesText(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `8GiB`, `512MB`, `2.5G`, `1000000` (bytes); undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const power = ' KMGT'.indexOf((match[2] ?? '').toUpperCase() || ' ');
  const bytes = Number(match[1]) * 1024 ** power;
  return Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : undefined;
}

/** Why a plan does not fit `limit`, or undefined when it does. The words follow NN5007's template. */
export function overBudget(plan: Pick<Plan, 'tensors' | 'dims' | 'model'>, batch: number, limit: number): { args: [string, string, string, string, string]; message: string } | undefined {
  const need = memoryNeed(plan, batch);
  if (need.bytes <= limit) return undefined;
  const largest = need.largest.map((t) => `${t.name} ${bytesText(t.bytes)}`).join(', ');
  const args: [string, string, string, string, string] = [plan.model, bytesText(need.bytes), String(batch), bytesText(limit), largest];
  return { args, message: `model '${args[0]}' needs ${args[1]} at batch ${args[2]}, over the memory limit of ${args[3]}; the largest tensors: ${args[4]}` };
}
