import { ProtoWriter } from './protobuf.js';

/**
 * The subset of onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto) the exporter writes, as plain data plus an encoder. Field numbers are those of
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;

type OnnxAttribute =
  | { name: string; kind: 'float'; value: number }
  | { name: string; kind: 'int'; value: number }
  | { name: string; kind: 'ints'; value: number[] };

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

interface OnnxValueInfo {
  name: string;
  elemType: number;
  /** A number or a symbolic dim name (`batch`). */
  shape: Array<number | string>;
}

export interface OnnxModel {
  opset: number;
  producer: string;
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version 8 (ONNX 1.10+), enough for opset 13
  w.string(2, model.producer);
  w.string(3, '0.1.0');
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

function encodeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const a of node.attributes ?? []) {
    w.message(5, (m) => {
      m.string(1, a.name);
      if (a.kind === 'float') m.float(2, a.value).int(20, 1);
      else if (a.kind === 'int') m.int(3, a.value).int(20, 2);
      else {
        for (const v of a.value) m.int(8, v);
        m.int(20, 7);
      }
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
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}
