import { parse } from '../grammar/index.js';
import type { CheckResult } from './api-types.js';

export type { CheckResult } from './api-types.js';

export interface CheckOptions {
  /** Path of the .nnet file, for resolving `load(...)` paths and `data` files relative to it. */
  path?: string;
}

/** Parses and checks a .nnet document. Never throws. (Placeholder until the checker lands.) */
export function checkSource(text: string, _options: CheckOptions = {}): CheckResult {
  const { file, diagnostics } = parse(text);
  return { file, diagnostics, models: [], gans: [], symbols: [], values: [] };
}
