import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { renderDiagnostics } from '../../../compiler/diagnostics/render.js';
import { DIAGNOSTICS } from '../../../compiler/diagnostics/table.js';
import { checkSource } from '../../../compiler/index.js';
import { dense } from '../../../compiler/ops/dense.js';

/**
 * The semantic error corpus: each test/golden/errors/semantic/X.nnet has its expected diagnostics
 * in X.errors.txt (as `nnet check` prints them). UPDATE_GOLDEN=1 rewrites the expected files; read
 * the diff before keeping it. Together the files must exercise every NN2xxx and NN3xxx code.
 */
const folder = new URL('../../golden/errors/semantic/', import.meta.url);
const sources = readdirSync(folder).filter((f) => f.endsWith('.nnet')).sort();

function rendered(name: string): string {
  const text = readFileSync(new URL(name, folder), 'utf8');
  return renderDiagnostics(checkSource(text, { path: name }).diagnostics, text, name);
}

describe('semantic error goldens', () => {
  it.each(sources)('%s', (name) => {
    const expectedFile = new URL(name.replace(/\.nnet$/, '.errors.txt'), folder);
    const actual = rendered(name);
    if (process.env.UPDATE_GOLDEN || !existsSync(expectedFile)) writeFileSync(expectedFile, actual);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
  });

  it('exercise every NN2xxx and NN3xxx code (NN2099, a checker bug, is tested below)', () => {
    const seen = new Set(sources.flatMap((name) => [...rendered(name).matchAll(/ (NN\d{4}): /g)].map((m) => m[1]!)));
    const semantic = DIAGNOSTICS.map((d) => d.code).filter((c) => /^NN[23]/.test(c) && c !== 'NN2099');
    expect(semantic.filter((code) => !seen.has(code))).toEqual([]);
  });
});

describe('internal errors', () => {
  it('become an NN2099 diagnostic on the model, and other models are still checked', () => {
    const spy = vi.spyOn(dense, 'infer').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const text = 'model A {\n  input x: [batch, 2]\n  output y = dense(x, 2)\n}\nmodel B {\n  input x: [batch, 2]\n  output y = relu(x)\n}\n';
      const result = checkSource(text);
      expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["NN2099 internal error while checking model 'A': boom"]);
      expect(result.models.map((m) => [m.name, m.ok])).toEqual([['A', false], ['B', true]]);
    } finally {
      spy.mockRestore();
    }
  });
});
