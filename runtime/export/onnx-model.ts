import { ProtoWriter } from './protobuf.js';

/**
 * The subset of onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto) the exporter writes, as plain data plus an encoder. Field numbers are those of
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;
export const ONNX_BOOL = 9;
export const ONNX_DOUBLE = 11;

/** IR version 8 is ONNX 1.10–1.12, the one that goes with opset 17 (Debian's python3-onnx 1.12 knows up to it). */
const IR_VERSION = 8;

export type OnnxAttribute =
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'string'; value: string }
  | { name: string; kind: 'ints'; value: number[] }
  | { name: string; kind: 'floats'; value: number[] };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian raw bytes. */
  raw: Uint8Array;
}

export interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** A number, a symbolic dim name (`batch`), or null for a size nobody names. */
  shape: Array<number | string | null>;
}

export interface OnnxModel {
  opset: number;
  producer: string;
  producerVersion?: string;
  docString?: string;
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, IR_VERSION);
  w.string(2, model.producer);
  w.string(3, model.producerVersion ?? '');
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => encodeGraph(g, model));
  w.message(8, (o) => o.string(1, '').int(2, model.opset));
  return w.finish();
}

function encodeGraph(g: ProtoWriter, model: OnnxModel): void {
  for (const node of model.nodes) g.message(1, (n) => encodeNode(n, node));
  g.string(2, model.graphName);
  for (const t of model.initializers) g.message(5, (m) => encodeTensor(m, t));
  for (const v of model.inputs) g.message(11, (m) => encodeValueInfo(m, v));
  for (const v of model.outputs) g.message(12, (m) => encodeValueInfo(m, v));
}

/** AttributeProto.AttributeType values. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function encodeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const a of node.attributes ?? []) {
    w.message(5, (m) => {
      m.string(1, a.name);
      if (a.kind === 'float') m.float(2, a.value);
      else if (a.kind === 'int') m.int(3, a.value);
      else if (a.kind === 'string') m.string(4, a.value);
      else if (a.kind === 'floats') for (const v of a.value) m.float(7, v);
      else for (const v of a.value) m.int(8, v);
      m.int(20, ATTRIBUTE_TYPE[a.kind]);
    });
  }
}

function encodeTensor(w: ProtoWriter, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function encodeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => {
            if (typeof d === 'number') dim.int(1, d);
            else if (typeof d === 'string') dim.string(2, d);
          });
        }
      });
    }),
  );
}
