import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../runtime/data/errors.js';
import { loadData } from '../../../runtime/data/load.js';
import { writeNpy } from '../../../runtime/data/npy.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-load-'));

describe('loadData', () => {
  it('reads NPY features with a labels file, scales them and holds out a seeded test split', () => {
    writeFileSync(join(dir, 'x.npy'), writeNpy({ shape: [10, 2], dtype: 'i32', data: Int32Array.from({ length: 20 }, (_, i) => i * 10) }));
    writeFileSync(join(dir, 'y.npy'), writeNpy({ shape: [10], dtype: 'i32', data: Int32Array.from({ length: 10 }, (_, i) => i % 2) }));
    const a = loadData('x.npy', { labels: 'y.npy', scale: 10, test: 0.2, seed: 3 }, dir);
    const b = loadData('x.npy', { labels: 'y.npy', scale: 10, test: 0.2, seed: 3 }, dir);
    expect([a.train.length, a.test!.length]).toEqual([8, 2]);
    expect(a.train.fields.features!.dtype).toBe('f32');
    expect(Array.from(a.test!.fields.features!.data)).toEqual(Array.from(b.test!.fields.features!.data));
    // rows stay intact: feature pair (2k, 2k+1) and label k % 2
    const f = a.train.fields.features!.data;
    for (let r = 0; r < 8; r++) {
      expect(f[2 * r + 1]! - f[2 * r]!).toBe(1);
      expect(a.train.fields.label!.data[r]).toBe((f[2 * r]! / 2) % 2);
    }
  });

  it('names unknown datasets, unknown file types and missing files', () => {
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        return (err as DataError).code;
      }
      return 'none';
    };
    expect(code(() => loadData('cifar'))).toBe('NNR5006');
    expect(code(() => loadData('data.parquet', {}, dir))).toBe('NNR5001');
    writeFileSync(join(dir, 'data.parquet'), 'x');
    expect(code(() => loadData('data.parquet', {}, dir))).toBe('NNR5004');
    expect(code(() => loadData('nope.csv', {}, dir))).toBe('NNR5001');
  });
});
