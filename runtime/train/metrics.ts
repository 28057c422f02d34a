import type { HostTensor } from '../tensor.js';

/**
 * How predictions are read for accuracy: `argmax` over the last axis (several classes), or a
 * threshold for a single output unit (0.5 on a probability, 0 on a logit).
 */
export type Decision = { kind: 'argmax' } | { kind: 'threshold'; at: number };

export function decisionFor(prediction: HostTensor, outputIsLogit: boolean): Decision {
  const last = prediction.shape.length > 1 ? prediction.shape[prediction.shape.length - 1]! : 1;
  return last > 1 ? { kind: 'argmax' } : { kind: 'threshold', at: outputIsLogit ? 0 : 0.5 };
}

/**
 * Correct predictions in a batch, counted per prediction row: a row is the last axis for argmax
 * ([batch, classes], or [batch, seq, classes] for per-position labels), one value for a threshold.
 * Labels are class indices (one per row) or one-hot / 0-1 targets of the prediction's own shape.
 */
export function countCorrect(prediction: HostTensor, labels: HostTensor, decision: Decision): { correct: number; total: number } {
  const width = decision.kind === 'argmax' ? prediction.shape[prediction.shape.length - 1]! : 1;
  const rows = prediction.data.length / width;
  const oneHot = labels.data.length === prediction.data.length && decision.kind === 'argmax';
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    if (decision.kind === 'argmax') {
      const predicted = argmax(prediction.data, i * width, width);
      const actual = oneHot ? argmax(labels.data, i * width, width) : labels.data[i]!;
      if (predicted === actual) correct++;
    } else {
      const predicted = prediction.data[i]! > decision.at ? 1 : 0;
      const actual = labels.data[i]! > 0.5 ? 1 : 0;
      if (predicted === actual) correct++;
    }
  }
  return { correct, total: rows };
}

export function argmax(data: ArrayLike<number>, start: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (data[start + k]! > data[start + best]!) best = k;
  return best;
}

/** The running mean loss of one pass over a dataset (the metrics are metric-counters.ts). */
export class MetricAccumulator {
  private lossSum = 0;
  private lossCount = 0;

  addLoss(loss: number, samples: number): void {
    if (Number.isNaN(loss)) return;
    this.lossSum += loss * samples;
    this.lossCount += samples;
  }

  get loss(): number {
    return this.lossCount > 0 ? this.lossSum / this.lossCount : NaN;
  }
}
