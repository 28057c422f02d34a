import type { Setting } from '../../grammar/ast.js';
import type { MetricName } from '../../runtime/plan/train-settings.js';
import type { LossSpec, MetricCheck } from '../train-config.js';
import type { Evaluator } from './evaluate.js';
import { namedCall } from './named-call.js';
import type { TensorValue } from './values.js';

/**
 * `metrics accuracy, f1, mae(out, target), top_k_accuracy(k: 3)`: each metric of a prediction and
 * a target, by default the first loss's. Keys name them in the history: the metric's name on the
 * loss's prediction (`f1`, `top3_accuracy`), `name(prediction)` on another. `loss` is always reported.
 */
export function checkMetrics(ev: Evaluator, setting: Setting, loss: LossSpec | null, losses: readonly LossSpec[] = loss ? [loss] : []): MetricCheck[] {
  const metrics: MetricCheck[] = [];
  for (const expr of setting.values) {
    const called = namedCall(ev, setting, expr, 'metric');
    if (!called || called.def.name === 'loss') continue;
    const name = called.def.name as MetricName;
    const given = called.args.tensors as TensorValue[];
    const hasPrediction = called.args.ranges.has('prediction');
    const prediction = hasPrediction ? given[0] : undefined;
    const target = called.args.ranges.has('target') ? given[hasPrediction ? 1 : 0] : undefined;
    if (!loss && (!prediction || !target)) continue; // no loss to default to (already reported)
    const k = name === 'top_k_accuracy' ? (called.args.values.k as number) : undefined;
    const base = k === undefined ? name : `top${k}_accuracy`;
    const predictionNode = prediction?.node ?? loss!.pred;
    const key = predictionNode === loss?.pred ? base : `${base}(${prediction!.name})`;
    if (metrics.some((m) => m.key === key)) continue;
    const targetNode = target?.node ?? loss!.target;
    // A metric of a masked loss's prediction and target counts the rows that loss counts.
    const mask = losses.find((l) => l.mask !== null && l.mask !== undefined && l.pred === predictionNode && l.target === targetNode)?.mask ?? undefined;
    metrics.push({ name, key, prediction: predictionNode, target: targetNode, ...(mask === undefined ? {} : { mask }), ...(k === undefined ? {} : { k }) });
  }
  return metrics;
}
