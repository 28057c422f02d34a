import type { ParamDef } from './types.js';

/**
 * A function-like name of the train section or of weight arguments (losses, optimizers, schedules,
 * regularisers, augmentations, metrics, initialisers): its signature and docs, read by the checker,
 * completion, hover and signature help from this one place.
 */
export interface SettingDef {
  name: string;
  kind: 'loss' | 'optimizer' | 'schedule' | 'clip' | 'regularizer' | 'augmentation' | 'metric' | 'initializer' | 'callback';
  doc: string;
  params: readonly ParamDef[];
}
