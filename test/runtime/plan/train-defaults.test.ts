import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRAIN_DEFAULTS } from '../../../runtime/plan/train-settings.js';

/** The train defaults as docs/language.md states them, read from the text. */
const doc = readFileSync(new URL('../../../docs/language.md', import.meta.url), 'utf8');

function statedDefault(key: string): number {
  const row = doc.match(new RegExp(`^\\| \`${key}\` \\|[^\\n]*\\(default ([0-9.e-]+)\\)`, 'm'));
  if (!row) throw new Error(`docs/language.md states no default for '${key}'`);
  return Number(row[1]);
}

describe('train defaults', () => {
  it('are the ones docs/language.md states', () => {
    expect(statedDefault('epochs')).toBe(TRAIN_DEFAULTS.epochs);
    expect(statedDefault('batch')).toBe(TRAIN_DEFAULTS.batch);
    expect(statedDefault('validation')).toBe(TRAIN_DEFAULTS.validation);
    expect(statedDefault('seed')).toBe(TRAIN_DEFAULTS.seed);
    expect(doc).toMatch(/^\| `optimizer` \| The optimizer \(default adam with its defaults\)/m);
    const adam = doc.match(/^- `adam\(lr = ([^,]+), beta1 = ([^,]+), beta2 = ([^,]+), epsilon = ([^)]+)\)`/m);
    const { lr, beta1, beta2, epsilon } = TRAIN_DEFAULTS.optimizer;
    expect(adam?.slice(1).map(Number)).toEqual([lr, beta1, beta2, epsilon]);
  });
});
