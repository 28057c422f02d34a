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

/** Number of correct predictions in a batch; labels are class indices or one-hot/0-1 targets. */
export function countCorrect(prediction: HostTensor, labels: HostTensor, decision: Decision): number {
  const n = prediction.shape[0] ?? 1;
  const width = prediction.data.length / n;
  const labelWidth = labels.data.length / n;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    if (decision.kind === 'argmax') {
      const predicted = argmax(prediction.data, i * width, width);
      const actual = labelWidth === 1 ? labels.data[i]! : argmax(labels.data, i * labelWidth, labelWidth);
      if (predicted === actual) correct++;
    } else {
      const predicted = prediction.data[i * width]! > decision.at ? 1 : 0;
      const actual = labels.data[i * labelWidth]! > 0.5 ? 1 : 0;
      if (predicted === actual) correct++;
    }
  }
  return correct;
}

/** Sum of absolute errors over a batch (divide by the value count for the MAE). */
export function sumAbsoluteError(prediction: HostTensor, targets: HostTensor): number {
  let sum = 0;
  for (let i = 0; i < prediction.data.length; i++) sum += Math.abs(prediction.data[i]! - targets.data[i]!);
  return sum;
}

function argmax(data: ArrayLike<number>, start: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (data[start + k]! > data[start + best]!) best = k;
  return best;
}

/** Running totals for one pass over a dataset. */
export class MetricAccumulator {
  private lossSum = 0;
  private lossCount = 0;
  private correct = 0;
  private absError = 0;
  private values = 0;
  private samples = 0;

  addLoss(loss: number, samples: number): void {
    if (Number.isNaN(loss)) return;
    this.lossSum += loss * samples;
    this.lossCount += samples;
  }

  addPredictions(prediction: HostTensor, target: HostTensor, decision: Decision | null): void {
    const n = prediction.shape[0] ?? 1;
    this.samples += n;
    if (decision) this.correct += countCorrect(prediction, target, decision);
    else {
      this.absError += sumAbsoluteError(prediction, target);
      this.values += prediction.data.length;
    }
  }

  get loss(): number {
    return this.lossCount > 0 ? this.lossSum / this.lossCount : NaN;
  }

  get accuracy(): number {
    return this.samples > 0 ? this.correct / this.samples : NaN;
  }

  get mae(): number {
    return this.values > 0 ? this.absError / this.values : NaN;
  }
}
