import type { EpochRecord } from './history.js';

/**
 * What the loop tells whoever is watching. The CLI uses a bar or plain lines (progress.ts), the
 * playground draws curves, tests use nothing. Browser-safe: no terminal code here.
 */
export interface ProgressReporter {
  epochStart(epoch: number, epochs: number, batches: number): void;
  batchEnd(batch: number, running: { loss: number; accuracy?: number }): void;
  epochEnd(record: EpochRecord, epochs: number): void;
  message(text: string): void;
  close(): void;
}

export const silentReporter: ProgressReporter = {
  epochStart() {},
  batchEnd() {},
  epochEnd() {},
  message() {},
  close() {},
};
