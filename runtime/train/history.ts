/** One epoch's figures; validation fields are absent when there is no validation set. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  lr: number;
  loss: number;
  accuracy?: number;
  mae?: number;
  valLoss?: number;
  valAccuracy?: number;
  valMae?: number;
  /** Metrics other than accuracy and mae, by key (`f1`, `top5_accuracy`, `mae(out)`), validation ones as `val_<key>`. */
  metrics?: Record<string, number>;
  /** GAN training: `loss` is the generator's, this the discriminator's. */
  discriminatorLoss?: number;
  seconds: number;
}

export function monitorValue(record: EpochRecord, monitor: 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy'): number {
  const value = { loss: record.loss, val_loss: record.valLoss, accuracy: record.accuracy, val_accuracy: record.valAccuracy }[monitor];
  return value ?? NaN;
}

/** `loss 0.2345 · acc 0.9312 · val_loss 0.2511 · val_acc 0.9250` */
export function describeEpoch(record: EpochRecord): string {
  if (record.discriminatorLoss !== undefined) return `g_loss ${record.loss.toFixed(4)} · d_loss ${record.discriminatorLoss.toFixed(4)}`;
  const parts = [`loss ${record.loss.toFixed(4)}`];
  if (record.accuracy !== undefined) parts.push(`acc ${record.accuracy.toFixed(4)}`);
  if (record.mae !== undefined) parts.push(`mae ${record.mae.toFixed(4)}`);
  if (record.valLoss !== undefined) parts.push(`val_loss ${record.valLoss.toFixed(4)}`);
  if (record.valAccuracy !== undefined) parts.push(`val_acc ${record.valAccuracy.toFixed(4)}`);
  if (record.valMae !== undefined) parts.push(`val_mae ${record.valMae.toFixed(4)}`);
  for (const [key, value] of Object.entries(record.metrics ?? {})) parts.push(`${key} ${value.toFixed(4)}`);
  return parts.join(' · ');
}
