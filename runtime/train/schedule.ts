import type { ScheduleSpec } from '../plan/train-settings.js';

/**
 * The learning rate at epoch `epoch` (0-based; fractional for schedules evaluated per step):
 *   step:        lr · gamma^floor(e / every)
 *   exponential: lr · gamma^e
 *   cosine:      minLr + (lr − minLr) · (1 + cos(π · e / E)) / 2, E = schedule epochs or the run's
 *   one_cycle:   PyTorch's OneCycleLR with `epoch` of `totalEpochs` as its step of steps (the loop
 *                calls it per step, through stepLearningRate)
 */
export function learningRate(baseLr: number, schedule: ScheduleSpec | null, epoch: number, totalEpochs: number): number {
  if (!schedule) return baseLr;
  switch (schedule.kind) {
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(epoch / Math.max(1, schedule.every));
    case 'exponential':
      return baseLr * schedule.gamma ** epoch;
    case 'cosine': {
      const span = schedule.epochs ?? totalEpochs;
      const t = Math.min(epoch, span) / Math.max(1, span);
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * t))) / 2;
    }
    case 'one_cycle':
      return oneCycle(baseLr, schedule, epoch, totalEpochs);
  }
}

/** Where a training step sits in the run. */
export interface StepPosition {
  /** 0-based over the whole run. */
  step: number;
  stepsPerEpoch: number;
  totalEpochs: number;
}

/**
 * The learning rate of one training step: the schedule at the step's epoch (the whole epoch for
 * `per: epoch`, the fractional epoch step / stepsPerEpoch for `per: step`, the step itself for
 * one_cycle), times the linear warmup factor min(1, (step + 1) / warmup).
 */
export function stepLearningRate(baseLr: number, schedule: ScheduleSpec | null, warmup: number, at: StepPosition): number {
  let lr: number;
  if (schedule?.kind === 'one_cycle') lr = oneCycle(baseLr, schedule, at.step, at.stepsPerEpoch * at.totalEpochs);
  else {
    const epoch = schedule?.per === 'step' ? at.step / at.stepsPerEpoch : Math.floor(at.step / at.stepsPerEpoch);
    lr = learningRate(baseLr, schedule, epoch, at.totalEpochs);
  }
  return warmup > 0 ? lr * Math.min(1, (at.step + 1) / warmup) : lr;
}

/**
 * PyTorch's OneCycleLR (anneal_strategy 'cos', three_phase false) at step t of T: rising from
 * lr / div to lr until t = pctStart · T − 1, then falling to lr / (div · finalDiv) at t = T − 1,
 * each a half cosine.
 */
function oneCycle(maxLr: number, s: Extract<ScheduleSpec, { kind: 'one_cycle' }>, t: number, total: number): number {
  const initial = maxLr / s.div;
  const final = initial / s.finalDiv;
  const anneal = (from: number, to: number, pct: number): number => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, pct))));
  const peak = s.pctStart * total - 1;
  if (t <= peak) return anneal(initial, maxLr, peak > 0 ? t / peak : 1);
  return anneal(maxLr, final, (t - peak) / Math.max(total - 1 - peak, 1e-12));
}
