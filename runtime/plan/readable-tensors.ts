import type { Plan } from './format.js';

/**
 * The plan tensor behind a name the training loop may read back: an output's name, or a tensor a
 * metric compares (the loss's prediction, each metric's prediction), which need not be an output.
 * Undefined for anything else. Both executors resolve `outputs: [...]` requests through this.
 */
export function readableTensor(plan: Plan, name: string): string | undefined {
  const output = plan.outputs.find((o) => o.name === name);
  if (output) return output.tensor;
  const training = plan.training;
  if (!training) return undefined;
  if (name === training.prediction) return name;
  const metrics = Array.isArray(training.config?.metrics) ? training.config.metrics : [];
  return metrics.some((m) => typeof m === 'object' && m !== null && m.prediction === name) ? name : undefined;
}
