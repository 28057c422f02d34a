import { FileAccessError, readFileGuarded } from '../../files/guarded-files.js';
import { dirname, resolve } from 'node:path';
import { InitError } from './init-weights.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../runtime/plan/json-depth.js';

/**
 * Weights given as files in the source (`weight: load("w.npy")`), read at compile time:
 * - `.safetensors`: F32/F64/I32 tensors; `tensor` names one (required when the file has several);
 * - `.npy`: little-endian f4/f8/i4, C order;
 * - `.json`: nested number arrays, or an object of them with `tensor` naming one.
 * The values are flattened row-major and checked against the parameter's size. (The compiler may not
 * import the runtime's strict safetensors reader; this one reads just what initialisation needs.)
 */
export function readWeightFile(path: string, tensor: string | undefined, sourcePath: string | undefined, expected: number, param: string): Float32Array {
  const full = resolve(sourcePath ? dirname(sourcePath) : process.cwd(), path);
  let bytes: Uint8Array;
  try {
    // A parameter's values take at most 8 bytes each (f8); the header gets 16 MiB. `/dev/zero`, a
    // folder or a 1 TB file is refused before a byte is read.
    bytes = readFileGuarded(full, { code: 'NN5005', what: 'the weights file', maxBytes: expected * 8 + 16 * 1024 * 1024 });
  } catch (err) {
    if (!(err instanceof FileAccessError)) throw err;
    throw new InitError(`'${param}': ${err.message.replace('the weights file', `weights file '${path}'`)}`);
  }
  const values = full.endsWith('.npy') ? readNpy(bytes, path) : full.endsWith('.json') ? readJson(bytes, path, tensor) : readSafetensorsTensor(bytes, path, tensor);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InitError(`'${param}': '${path}'${tensor ? ` tensor '${tensor}'` : ''} holds ${values[bad]} at index ${bad}; weights must be finite`);
  if (values.length !== expected) throw new InitError(`'${param}': '${path}'${tensor ? ` tensor '${tensor}'` : ''} has ${values.length} values, the parameter needs ${expected}`);
  return values;
}

function readJson(bytes: Uint8Array, path: string, tensor: string | undefined): Float32Array {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new InitError(`'${path}' is not valid JSON`);
  }
  if (nestsDeeperThan(doc)) throw new InitError(`'${path}' nests more than ${MAX_JSON_DEPTH} levels deep`);
  if (tensor !== undefined) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Object.hasOwn(doc, tensor)) throw new InitError(`'${path}' has no tensor '${tensor}'`);
    doc = (doc as Record<string, unknown>)[tensor];
  }
  const flat: number[] = [];
  // Iterative, so a 100,000-deep list cannot overflow the stack.
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    else if (typeof v === 'number') flat.push(v);
    else throw new InitError(`'${path}' holds a non-number value`);
  }
  return Float32Array.from(flat);
}

function readNpy(bytes: Uint8Array, path: string): Float32Array {
  const magic = String.fromCharCode(...bytes.subarray(1, 6));
  if (bytes.length < 12 || bytes[0] !== 0x93 || magic !== 'NUMPY') throw new InitError(`'${path}' is not an .npy file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  if (start > bytes.length) throw new InitError(`'${path}' is truncated`);
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new InitError(`'${path}' is in Fortran order; save it in C order`);
  const data = new DataView(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start);
  const width = descr === '<f4' || descr === '<i4' ? 4 : descr === '<f8' ? 8 : 0;
  if (!width) throw new InitError(`'${path}' has dtype ${descr ?? '?'}; nnet reads <f4, <f8 and <i4`);
  const count = Math.floor(data.byteLength / width);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = descr === '<f4' ? data.getFloat32(i * 4, true) : descr === '<f8' ? data.getFloat64(i * 8, true) : data.getInt32(i * 4, true);
  }
  return out;
}

function readSafetensorsTensor(bytes: Uint8Array, path: string, tensor: string | undefined): Float32Array {
  if (bytes.length < 8) throw new InitError(`'${path}' is truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) throw new InitError(`'${path}' is truncated`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new InitError(`'${path}' is not a safetensors file`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header) || nestsDeeperThan(header, 8)) throw new InitError(`'${path}' is not a safetensors file`);
  const names = Object.keys(header).filter((n) => n !== '__metadata__');
  const name = tensor ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) throw new InitError(`'${path}' holds ${names.length} tensors; name one with tensor: "..."`);
  const entry = Object.hasOwn(header, name) ? header[name] : undefined;
  if (!entry || typeof entry !== 'object' || !Array.isArray(entry.data_offsets)) throw new InitError(`'${path}' has no tensor '${name}'`);
  const [begin, end] = entry.data_offsets;
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin) throw new InitError(`'${path}' tensor '${name}' has invalid offsets`);
  const start = 8 + headerLength + begin;
  if (start + (end - begin) > bytes.length) throw new InitError(`'${path}' is truncated at tensor '${name}'`);
  const data = new DataView(bytes.buffer, bytes.byteOffset + start, end - begin);
  const width = entry.dtype === 'F64' ? 8 : 4;
  if (!['F32', 'F64', 'I32'].includes(entry.dtype)) throw new InitError(`'${path}' tensor '${name}' has dtype ${entry.dtype}; nnet reads F32, F64 and I32`);
  const out = new Float32Array((end - begin) / width);
  for (let i = 0; i < out.length; i++) {
    out[i] = entry.dtype === 'F32' ? data.getFloat32(i * 4, true) : entry.dtype === 'F64' ? data.getFloat64(i * 8, true) : data.getInt32(i * 4, true);
  }
  return out;
}
