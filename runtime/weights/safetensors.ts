import { PlanError } from '../plan/errors.js';
import { nestsDeeperThan } from '../plan/json-depth.js';
import type { HostTensor } from '../tensor.js';

/**
 * safetensors read/write (https://github.com/huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`,
 * then the tensor bytes (offsets relative to the end of the header). nnet stores F32 and I32 tensors.
 * Reading is strict: truncation, a bad header, offsets out of range, overlapping or leaving holes, and
 * sizes that disagree with dtype × shape are all errors (NNR12xx) naming the tensor.
 */
/** Keyed by file text: a Map, so `"constructor"` or `"toString"` is no dtype. */
const DTYPES: ReadonlyMap<unknown, { bytes: number; dtype: 'f32' | 'i32' }> = new Map([
  ['F32', { bytes: 4, dtype: 'f32' }],
  ['I32', { bytes: 4, dtype: 'i32' }],
]);
const MAX_HEADER = 100_000_000;

export interface Safetensors {
  tensors: Map<string, HostTensor>;
  metadata: Record<string, string>;
}

export function writeSafetensors(tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = t.data.length * 4;
    header[name] = { dtype: t.dtype === 'i32' ? 'I32' : 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length * 4);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

export function readSafetensors(bytes: Uint8Array, what = 'weights file'): Safetensors {
  if (bytes.length < 8) throw new PlanError('NNR1201', `${what} is truncated: ${bytes.length} bytes, a safetensors file needs at least 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER) throw new PlanError('NNR1202', `${what}: header length ${headerLength} is implausible (not a safetensors file?)`);
  if (8 + headerLength > bytes.length) throw new PlanError('NNR1201', `${what} is truncated: the header needs ${headerLength} bytes, ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new PlanError('NNR1202', `${what}: the header is not valid UTF-8 JSON`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new PlanError('NNR1202', `${what}: the header must be a JSON object`);
  if (nestsDeeperThan(header, 8)) throw new PlanError('NNR1202', `${what}: the header nests deeper than a safetensors header does`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, HostTensor>();
  let metadata: Record<string, string> = {};
  const spans: Array<[number, number, string]> = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
        throw new PlanError('NNR1202', `${what}: __metadata__ must map strings to strings`);
      }
      metadata = Object.assign(Object.create(null) as Record<string, string>, raw);
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof entry !== 'object' || entry === null) throw new PlanError('NNR1202', `${what}: entry '${name}' must be an object`);
    const dtype = DTYPES.get(entry.dtype);
    if (!dtype) throw new PlanError('NNR1204', `${what}: tensor '${name}' has dtype ${JSON.stringify(entry.dtype)}; nnet reads F32 and I32`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new PlanError('NNR1202', `${what}: tensor '${name}' has an invalid shape`);
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      throw new PlanError('NNR1202', `${what}: tensor '${name}' has invalid data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataLength) throw new PlanError('NNR1203', `${what}: tensor '${name}' ends at byte ${end} but the data section has ${dataLength} bytes (truncated?)`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * dtype.bytes) {
      throw new PlanError('NNR1204', `${what}: tensor '${name}' has ${end - begin} bytes, but ${entry.dtype as string} [${(shape as number[]).join(', ')}] needs ${count * dtype.bytes}`);
    }
    spans.push([begin, end, name]);
    // Copy into a fresh, aligned buffer. Not `bytes.slice`: on a Node Buffer that is a view into
    // a shared pool, whose offset need not be a multiple of 4.
    const copy = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end));
    const data = dtype.dtype === 'i32' ? new Int32Array(copy.buffer, 0, count) : new Float32Array(copy.buffer, 0, count);
    tensors.set(name, { shape: shape as number[], dtype: dtype.dtype, data });
  }
  spans.sort((a, b) => a[0] - b[0]);
  let expected = 0;
  for (const [begin, end, name] of spans) {
    if (begin !== expected) throw new PlanError('NNR1203', `${what}: tensor '${name}' starts at byte ${begin}, expected ${expected} (overlap or hole)`);
    expected = end;
  }
  if (expected !== dataLength) throw new PlanError('NNR1203', `${what}: ${dataLength - expected} bytes after the last tensor are not indexed`);
  return { tensors, metadata };
}
