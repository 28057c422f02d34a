import { totalmem } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { parseByteSize } from '../runtime/plan/memory-budget.js';

/**
 * `--memory-limit SIZE` (compile, run, train): the most a plan may need (weights, optimizer state
 * and peak activations at the batch size), checked before anything is allocated (NN5007). The
 * default is three quarters of the machine's memory, or of the container's limit when lower.
 */
export function defaultMemoryLimit(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const total = totalmem();
  return Math.floor(0.75 * (constrained > 0 && constrained < total ? constrained : total));
}

export function parseMemoryLimit(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined) throw new InvalidArgumentError('expected a size such as 8GiB, 512MiB or a number of bytes');
  return bytes;
}

export const MEMORY_LIMIT_HELP = 'the most memory the model may need (e.g. 8GiB; default: 3/4 of the machine\'s memory)';
