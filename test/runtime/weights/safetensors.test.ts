import { describe, expect, it } from 'vitest';
import { PlanError } from '../../../runtime/plan/errors.js';
import { readSafetensors, writeSafetensors } from '../../../runtime/weights/safetensors.js';
import { f32, i32, type HostTensor } from '../../../runtime/tensor.js';

function sample(): Map<string, HostTensor> {
  return new Map([
    ['h.weight', f32([2, 3], [1, 2, 3, 4, 5, 6])],
    ['h.bias', f32([2], [-0.5, 0.25])],
    ['ids', i32([3], [7, 8, 9])],
  ]);
}

function header(bytes: Uint8Array): Record<string, any> {
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

function rebuild(head: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(head));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return `${(error as PlanError).code} ${(error as Error).message}`;
  }
  throw new Error('expected an error');
}

describe('safetensors', () => {
  it('round-trips tensors and metadata', () => {
    const bytes = writeSafetensors(sample(), { format: 'nnet-weights' });
    const { tensors, metadata } = readSafetensors(bytes);
    expect(metadata).toEqual({ format: 'nnet-weights' });
    for (const [name, t] of sample()) {
      expect(tensors.get(name)!.shape).toEqual(t.shape);
      expect(tensors.get(name)!.dtype).toEqual(t.dtype);
      expect([...tensors.get(name)!.data]).toEqual([...t.data]);
    }
  });

  it('writes the real format: u64 LE header length, 8-byte aligned header, F32/I32 entries with data_offsets', () => {
    const bytes = writeSafetensors(sample());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const head = header(bytes);
    expect(head['h.bias']).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(head.ids.dtype).toBe('I32');
    // Known little-endian bytes of 1.0f at the start of h.weight.
    const start = 8 + n + head['h.weight'].data_offsets[0];
    expect([...bytes.subarray(start, start + 4)]).toEqual([0, 0, 0x80, 0x3f]);
  });

  it('rejects truncated files', () => {
    const bytes = writeSafetensors(sample());
    expect(code(() => readSafetensors(bytes.subarray(0, 5)))).toMatch(/^NNR1201/);
    expect(code(() => readSafetensors(bytes.subarray(0, 20)))).toMatch(/^NNR1201 .*header needs/);
    expect(code(() => readSafetensors(bytes.subarray(0, bytes.length - 4)))).toMatch(/^NNR1203 .*ends at byte/);
  });

  it('rejects a bad header, bad dtypes, inconsistent sizes, overlaps and holes', () => {
    const bytes = writeSafetensors(sample());
    const head = header(bytes);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const data = bytes.subarray(8 + n);
    const garbage = bytes.slice();
    garbage[8] = 0x7b;
    garbage[9] = 0x7b;
    expect(code(() => readSafetensors(garbage))).toMatch(/^NNR1202/);
    expect(code(() => readSafetensors(rebuild({ ...head, ids: { ...head.ids, dtype: 'BF16' } }, data)))).toMatch(/^NNR1204 .*'ids' has dtype "BF16"/);
    expect(code(() => readSafetensors(rebuild({ ...head, ids: { ...head.ids, shape: [4] } }, data)))).toMatch(/^NNR1204 .*'ids' has 12 bytes, but I32 \[4\] needs 16/);
    const [b0] = head['h.weight'].data_offsets;
    expect(code(() => readSafetensors(rebuild({ ...head, 'h.weight': { ...head['h.weight'], data_offsets: [b0 - 4, b0 + 20] } }, data)))).toMatch(/^NNR1203/);
    expect(code(() => readSafetensors(rebuild(head, new Uint8Array([...data, 0, 0, 0, 0]))))).toMatch(/^NNR1203 .*not indexed/);
  });
});

describe('readSafetensors on a view', () => {
  it('reads a file that starts inside a larger buffer (Node pools small reads)', () => {
    const weights = new Map([['w', { shape: [2], dtype: 'f32' as const, data: new Float32Array([1.5, -2]) }]]);
    const file = writeSafetensors(weights);
    const pool = new Uint8Array(file.length + 13);
    pool.set(file, 13);
    const read = readSafetensors(pool.subarray(13));
    expect(Array.from(read.tensors.get('w')!.data)).toEqual([1.5, -2]);
  });

  it('reads a Node Buffer at an odd pool offset (Buffer.slice is a view, not a copy)', () => {
    const weights = new Map([['w', { shape: [2], dtype: 'f32' as const, data: new Float32Array([1.5, -2]) }]]);
    const pool = Buffer.alloc(writeSafetensors(weights).length + 13);
    pool.set(writeSafetensors(weights), 13);
    const read = readSafetensors(pool.subarray(13));
    expect(Array.from(read.tensors.get('w')!.data)).toEqual([1.5, -2]);
  });
});
