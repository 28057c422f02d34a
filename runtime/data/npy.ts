import type { HostTensor } from '../tensor.js';
import { DataError } from './errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Element readers by NPY type code (without the byte-order character); a Map, so `<constructor` is no dtype. */
const DTYPES: ReadonlyMap<string, { bytes: number; float: boolean; read: (view: DataView, offset: number, little: boolean) => number }> = new Map([
  ['f4', { bytes: 4, float: true, read: (v: DataView, o: number, le: boolean) => v.getFloat32(o, le) }],
  ['f8', { bytes: 8, float: true, read: (v: DataView, o: number, le: boolean) => v.getFloat64(o, le) }],
  ['i4', { bytes: 4, float: false, read: (v: DataView, o: number, le: boolean) => v.getInt32(o, le) }],
  ['i8', { bytes: 8, float: false, read: (v: DataView, o: number, le: boolean) => Number(v.getBigInt64(o, le)) }],
  ['u1', { bytes: 1, float: false, read: (v: DataView, o: number) => v.getUint8(o) }],
]);

/**
 * Reads a NumPy `.npy` array (format versions 1, 2 and 3, C order). Floats become f32 tensors,
 * integers (i4, i8, u1) i32 tensors; values are not rescaled.
 */
export function readNpy(bytes: Uint8Array, file = '<npy>'): HostTensor {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new DataError('NNR5002', 'not a NumPy .npy file (bad magic bytes)', file);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new DataError('NNR5004', `unsupported .npy format version ${major}`, file);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new DataError('NNR5002', 'truncated .npy header', file);
  const header = new TextDecoder().decode(bytes.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, file);
  if (fortranOrder) throw new DataError('NNR5004', 'Fortran-order arrays are not supported; save with C order', file);
  const little = descr[0] !== '>';
  const code = descr.replace(/^[<>|=]/, '');
  const dtype = DTYPES.get(code);
  if (!dtype) {
    throw new DataError('NNR5004', `unsupported dtype '${descr}' (supported: f4, f8, i4, i8, u1)`, file);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0) throw new DataError('NNR5005', 'a 0-d array (a single number) holds no samples: the first axis is the batch', file);
  if (bytes.length - dataStart < count * dtype.bytes) {
    throw new DataError(
      'NNR5002',
      `truncated data: shape [${shape.join(', ')}] needs ${count * dtype.bytes} bytes, the file has ${bytes.length - dataStart}`,
      file,
    );
  }
  const data = dtype.float ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, dataStart + i * dtype.bytes, little);
  return { shape, dtype: dtype.float ? 'f32' : 'i32', data };
}

/** Parses the header, a Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`. */
function parseHeader(header: string, file: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataError('NNR5002', `malformed .npy header: ${header.trim()}`, file);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DataError('NNR5002', `malformed .npy shape (${shapeText})`, file);
  return { descr, fortranOrder: fortran === 'True', shape };
}

/** Writes a little-endian v1 `.npy` file (used by tests and by `nnet` to export arrays). */
export function writeNpy(tensor: HostTensor): Uint8Array {
  const descr = tensor.dtype === 'f32' ? '<f4' : '<i4';
  const shape = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const padded = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(padded - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(10 + header.length + tensor.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), 10 + header.length);
  return out;
}
