import type { MetricName } from '../plan/train-settings.js';
import type { HostTensor } from '../tensor.js';
import { argmax, countCorrect, type Decision } from './metrics.js';

/**
 * Running totals of one metric over a pass (`add` per batch, `value` at the end). Classification
 * metrics read a decision: argmax over the last axis, or a threshold for a single unit. Labels are
 * class ids (one per row) or one-hot / 0-1 targets of the prediction's shape.
 */
export interface MetricCounter {
  add(prediction: HostTensor, target: HostTensor, decision: Decision): void;
  value(): number;
}

export function metricCounter(name: Exclude<MetricName, 'loss'>, k = 5): MetricCounter {
  switch (name) {
    case 'accuracy':
      return accuracyCounter();
    case 'mae':
      return maeCounter();
    case 'top_k_accuracy':
      return topKCounter(k);
    default:
      return confusionCounter(name);
  }
}

function accuracyCounter(): MetricCounter {
  let correct = 0;
  let total = 0;
  return {
    add(prediction, target, decision) {
      const counted = countCorrect(prediction, target, decision);
      correct += counted.correct;
      total += counted.total;
    },
    value: () => (total > 0 ? correct / total : NaN),
  };
}

function maeCounter(): MetricCounter {
  let sum = 0;
  let count = 0;
  return {
    add(prediction, target) {
      for (let i = 0; i < prediction.data.length; i++) sum += Math.abs(prediction.data[i]! - target.data[i]!);
      count += prediction.data.length;
    },
    value: () => (count > 0 ? sum / count : NaN),
  };
}

/** The predicted and the true class of each row. */
function* rowClasses(prediction: HostTensor, target: HostTensor, decision: Decision): Generator<[predicted: number, actual: number]> {
  const width = decision.kind === 'argmax' ? prediction.shape[prediction.shape.length - 1]! : 1;
  const rows = prediction.data.length / width;
  const oneHot = decision.kind === 'argmax' && target.data.length === prediction.data.length;
  for (let i = 0; i < rows; i++) {
    if (decision.kind === 'argmax') yield [argmax(prediction.data, i * width, width), oneHot ? argmax(target.data, i * width, width) : target.data[i]!];
    else yield [prediction.data[i]! > decision.at ? 1 : 0, target.data[i]! > 0.5 ? 1 : 0];
  }
}

/**
 * Precision, recall and f1 from per-class true positives, false positives and false negatives:
 * of class 1 for a single unit (binary), else the mean over the classes seen in predictions or
 * labels (macro average, as scikit-learn's average='macro' over the present classes).
 */
function confusionCounter(name: 'precision' | 'recall' | 'f1'): MetricCounter {
  const tp = new Map<number, number>();
  const fp = new Map<number, number>();
  const fn = new Map<number, number>();
  let binary = false;
  const bump = (m: Map<number, number>, c: number): void => void m.set(c, (m.get(c) ?? 0) + 1);
  const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
  const score = (c: number): number => {
    const t = tp.get(c) ?? 0;
    const precision = ratio(t, t + (fp.get(c) ?? 0));
    const recall = ratio(t, t + (fn.get(c) ?? 0));
    if (name === 'precision') return precision;
    if (name === 'recall') return recall;
    return ratio(2 * precision * recall, precision + recall);
  };
  return {
    add(prediction, target, decision) {
      binary = decision.kind === 'threshold';
      for (const [predicted, actual] of rowClasses(prediction, target, decision)) {
        if (predicted === actual) bump(tp, actual);
        else {
          bump(fp, predicted);
          bump(fn, actual);
        }
      }
    },
    value() {
      if (binary) return score(1);
      const classes = new Set([...tp.keys(), ...fp.keys(), ...fn.keys()]);
      if (classes.size === 0) return NaN;
      let sum = 0;
      for (const c of classes) sum += score(c);
      return sum / classes.size;
    },
  };
}

/** Rows whose true class is among the k highest scores (ties broken by the lower index). */
function topKCounter(k: number): MetricCounter {
  let hits = 0;
  let total = 0;
  return {
    add(prediction, target) {
      const width = prediction.shape[prediction.shape.length - 1]!;
      const rows = prediction.data.length / width;
      const oneHot = target.data.length === prediction.data.length;
      for (let i = 0; i < rows; i++) {
        const actual = oneHot ? argmax(target.data, i * width, width) : target.data[i]!;
        const score = prediction.data[i * width + actual]!;
        let better = 0;
        for (let c = 0; c < width; c++) {
          const other = prediction.data[i * width + c]!;
          if (other > score || (other === score && c < actual)) better++;
        }
        if (better < k) hits++;
        total++;
      }
    },
    value: () => (total > 0 ? hits / total : NaN),
  };
}
