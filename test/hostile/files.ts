import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpy } from '../../runtime/data/npy.js';
import { encodeCheckpoint } from '../../runtime/train/checkpoint.js';
import { writeSafetensors } from '../../runtime/weights/safetensors.js';

/** A scratch folder with the examples the corpus starts from, and writers for hostile variants. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnet-hostile-'));
  for (const name of ['seed.nnet', 'xor.nnet']) writeFileSync(join(dir, name), example(name));
  return dir;
}

export function example(name: string): string {
  return readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** An .npy file with a header written by hand (any descr, any shape text). */
export function npyWithHeader(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  let text = header;
  const padded = Math.ceil((10 + text.length + 1) / 64) * 64;
  text = text.padEnd(padded - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(new TextEncoder().encode(text), 10);
  out.set(data, 10 + text.length);
  return out;
}

export function npy(shape: number[], values: number[]): Uint8Array {
  return writeNpy({ shape, dtype: 'f32', data: Float32Array.from(values) });
}

/** The seed model's weights with `h.weight` of the given shape (12 values either way). */
export function seedWeights(hShape: number[] = [4, 3], hDtype?: string): Uint8Array {
  const f32 = (shape: number[]) => ({ shape, dtype: 'f32' as const, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1) });
  const bytes = writeSafetensors(
    new Map([
      ['h.weight', f32(hShape)],
      ['h.bias', f32([4])],
      ['y.weight', f32([2, 4])],
      ['y.bias', f32([2])],
    ]),
  );
  if (!hDtype) return bytes;
  const edited = rewriteHeader(bytes, (header) => {
    (header['h.weight'] as { dtype: string }).dtype = hDtype;
  });
  return hDtype === 'DEEP' ? replaceHeaderText(edited, '"DEEP"', deepList(100_000)) : edited;
}

/** Replaces text in a safetensors header (fixing its length), for values JSON.stringify cannot write. */
function replaceHeaderText(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const json = new TextEncoder().encode(new TextDecoder().decode(bytes.subarray(8, 8 + length)).replace(from, to));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

/** Re-encodes a safetensors file after editing its JSON header. */
function rewriteHeader(bytes: Uint8Array, edit: (header: Record<string, unknown>) => void): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, unknown>;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

/** A checkpoint of the xor model (its weights are irrelevant: metadata is what is hostile). */
export function checkpointWith(metadata: Record<string, string>): Uint8Array {
  const bytes = encodeCheckpoint({ model: 'Xor', epochsDone: 1, optimizerStep: 1, weights: new Map(), slots: new Map(), history: [], best: null });
  return rewriteHeader(bytes, (header) => {
    header.__metadata__ = { ...(header.__metadata__ as Record<string, string>), ...metadata };
  });
}

/** `depth` nested lists around one number, without recursion. */
export function deepList(depth: number): string {
  return '['.repeat(depth) + '1' + ']'.repeat(depth);
}
