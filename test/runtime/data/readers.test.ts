import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../runtime/data/csv.js';
import { DataError } from '../../../runtime/data/errors.js';
import { readIdx } from '../../../runtime/data/idx.js';
import { readJsonDataset } from '../../../runtime/data/json.js';
import { readNpy, writeNpy } from '../../../runtime/data/npy.js';

function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataError) return err;
    throw err;
  }
  throw new Error('expected a DataError');
}

describe('CSV', () => {
  it('reads features and a label column by name', () => {
    const d = readCsv('a,species,b\n1,x,2\n3,y,4\n5,x,6\n', { label: 'species', file: 'f.csv' });
    expect(d.length).toBe(3);
    expect(d.labelField).toBe('species');
    expect(d.fields.features!.shape).toEqual([3, 2]);
    expect(Array.from(d.fields.features!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    // class names map to sorted indices
    expect(Array.from(d.fields.species!.data)).toEqual([0, 1, 0]);
  });

  it('defaults to a column named label, else the last column; numeric labels stay numbers', () => {
    expect(readCsv('label,a\n1,0.5\n').labelField).toBe('label');
    const d = readCsv('a,b,y\n1,2,0.25\n');
    expect(d.labelField).toBe('y');
    expect(d.fields.y!.dtype).toBe('f32');
    expect(d.fields.y!.data[0]).toBeCloseTo(0.25);
  });

  it('reports a ragged row with file:row', () => {
    const e = dataError(() => readCsv('a,b,label\n1,2,0\n1,2\n', { file: 'f.csv' }));
    expect(e.code).toBe('NNR5002');
    expect(e.format()).toBe('f.csv:3: error NNR5002: row has 2 cells, the header has 3');
  });

  it('reports a non-numeric cell with file:row:col', () => {
    const e = dataError(() => readCsv('a,b,label\n1,2,0\n1,abc,1\n', { file: 'f.csv' }));
    expect(e.code).toBe('NNR5003');
    expect(e.location).toBe('f.csv:3:2');
    expect(e.message).toContain('"abc"');
  });

  it('reports an unknown label column', () => {
    expect(dataError(() => readCsv('a,b\n1,2\n', { label: 'y' })).code).toBe('NNR5006');
  });

  it('handles quoted cells', () => {
    const d = readCsv('a,"name, quoted"\n1,"x, y"\n');
    expect(d.labelField).toBe('name, quoted');
  });
});

describe('JSON', () => {
  it('reads an array of records', () => {
    const d = readJsonDataset('[{"x": [0, 1], "label": 1}, {"x": [1, 1.5], "label": 0}]');
    expect(d.fields.x!.shape).toEqual([2, 2]);
    expect(d.fields.x!.dtype).toBe('f32');
    expect(d.fields.label!.dtype).toBe('i32');
    expect(d.labelField).toBe('label');
  });

  it('reads {inputs, labels}', () => {
    const d = readJsonDataset('{"inputs": [[[1, 2], [3, 4]]], "labels": [3]}');
    expect(d.fields.inputs!.shape).toEqual([1, 2, 2]);
    expect(d.labelField).toBe('labels');
  });

  it('rejects ragged nesting, non-numbers and unequal lengths', () => {
    expect(dataError(() => readJsonDataset('{"inputs": [[1, 2], [3]], "labels": [0, 1]}')).code).toBe('NNR5002');
    expect(dataError(() => readJsonDataset('{"inputs": [[1, "a"]], "labels": [0]}')).code).toBe('NNR5003');
    expect(dataError(() => readJsonDataset('{"inputs": [[1], [2]], "labels": [0]}')).code).toBe('NNR5002');
    expect(dataError(() => readJsonDataset('{"inputs": ')).code).toBe('NNR5002');
  });
});

/** Builds an .npy file by hand (independent of writeNpy) for a given header and payload. */
function npyBytes(version: 1 | 2, header: string, payload: Uint8Array): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const padded = header.padEnd(Math.ceil((prefix + header.length + 1) / 64) * 64 - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(prefix + padded.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), prefix);
  out.set(payload, prefix + padded.length);
  return out;
}

describe('NPY', () => {
  it('reads v1 f8, v2 i8 and u1 arrays in C order', () => {
    const f8 = new Float64Array([1.5, -2, 3, 4, 5, 6]);
    const a = readNpy(npyBytes(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", new Uint8Array(f8.buffer)));
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe('f32');
    expect(Array.from(a.data)).toEqual([1.5, -2, 3, 4, 5, 6]);
    const i8 = new BigInt64Array([7n, -8n]);
    const b = readNpy(npyBytes(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new Uint8Array(i8.buffer)));
    expect(b.dtype).toBe('i32');
    expect(Array.from(b.data)).toEqual([7, -8]);
    const c = readNpy(npyBytes(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", Uint8Array.of(0, 128, 255)));
    expect(Array.from(c.data)).toEqual([0, 128, 255]);
  });

  it('round-trips what writeNpy writes', () => {
    const t = { shape: [2, 2], dtype: 'f32' as const, data: Float32Array.of(1, 2, 3, 4) };
    expect(readNpy(writeNpy(t))).toEqual(t);
  });

  it('rejects bad magic, Fortran order, unknown dtypes and truncated data', () => {
    expect(dataError(() => readNpy(new Uint8Array(20))).code).toBe('NNR5002');
    const fortran = npyBytes(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", new Uint8Array(4));
    expect(dataError(() => readNpy(fortran)).code).toBe('NNR5004');
    const c16 = npyBytes(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(16));
    expect(dataError(() => readNpy(c16)).code).toBe('NNR5004');
    const short = npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(8));
    const e = dataError(() => readNpy(short, 'x.npy'));
    expect(e.code).toBe('NNR5002');
    expect(e.format()).toContain('x.npy: error NNR5002: truncated data: shape [4] needs 16 bytes, the file has 8');
  });
});

describe('IDX', () => {
  it('reads a u8 image file and a label file (MNIST layout, big-endian dims)', () => {
    const images = new Uint8Array([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 255]);
    const t = readIdx(images);
    expect(t.shape).toEqual([2, 2, 2]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 255]);
    const labels = readIdx(new Uint8Array([0, 0, 0x08, 1, 0, 0, 0, 2, 7, 3]));
    expect(Array.from(labels.data)).toEqual([7, 3]);
  });

  it('rejects bad magic, unknown types and truncation', () => {
    expect(dataError(() => readIdx(new Uint8Array([1, 0, 8, 1]))).code).toBe('NNR5002');
    expect(dataError(() => readIdx(new Uint8Array([0, 0, 0x42, 1]))).code).toBe('NNR5004');
    expect(dataError(() => readIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))).code).toBe('NNR5002');
  });
});
