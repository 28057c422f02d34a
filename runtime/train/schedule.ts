import type { ScheduleSpec } from '../plan/train-settings.js';

/**
 * The learning rate for epoch `epoch` (0-based), applied for the whole epoch:
 *   step:        lr · gamma^floor(e / every)
 *   exponential: lr · gamma^e
 *   cosine:      minLr + (lr − minLr) · (1 + cos(π · e / E)) / 2, E = schedule epochs or the run's
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
  }
}
