import type { HostTensor } from '../tensor.js';
import { DataError } from './errors.js';

/** IDX element types (the third magic byte) and their sizes, as in the MNIST distribution. */
const TYPES: Record<number, { name: string; bytes: number; float: boolean; read: (v: DataView, o: number) => number }> = {
  0x08: { name: 'u8', bytes: 1, float: false, read: (v, o) => v.getUint8(o) },
  0x09: { name: 'i8', bytes: 1, float: false, read: (v, o) => v.getInt8(o) },
  0x0b: { name: 'i16', bytes: 2, float: false, read: (v, o) => v.getInt16(o, false) },
  0x0c: { name: 'i32', bytes: 4, float: false, read: (v, o) => v.getInt32(o, false) },
  0x0d: { name: 'f32', bytes: 4, float: true, read: (v, o) => v.getFloat32(o, false) },
  0x0e: { name: 'f64', bytes: 8, float: true, read: (v, o) => v.getFloat64(o, false) },
};

/**
 * Reads an IDX file (the MNIST format: `train-images-idx3-ubyte`): two zero bytes, a type byte, the
 * rank, then big-endian u32 dims and the data. Integer types give i32 tensors with raw values
 * (pixels stay 0..255; the dataset option `scale: 255` maps them to [0, 1]).
 */
export function readIdx(bytes: Uint8Array, file = '<idx>'): HostTensor {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError('NNR5002', 'not an IDX file (the first two bytes must be zero)', file);
  }
  const type = TYPES[bytes[2]!];
  if (!type) throw new DataError('NNR5004', `unknown IDX element type 0x${bytes[2]!.toString(16)}`, file);
  const rank = bytes[3]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataStart = 4 + 4 * rank;
  if (bytes.length < dataStart) throw new DataError('NNR5002', 'truncated IDX header', file);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - dataStart < count * type.bytes) {
    throw new DataError(
      'NNR5002',
      `truncated data: shape [${shape.join(', ')}] of ${type.name} needs ${count * type.bytes} bytes, the file has ${bytes.length - dataStart}`,
      file,
    );
  }
  const data = type.float ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = type.read(view, dataStart + i * type.bytes);
  return { shape, dtype: type.float ? 'f32' : 'i32', data };
}
