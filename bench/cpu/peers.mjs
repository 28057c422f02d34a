// The peers' versions of bench/cpu/models.nnet, built from nnet's initial weights: ONNX models
// (for onnxruntime-node and onnxruntime-web) written with nnet's own protobuf writer, and TF.js
// functions on its fused ops (tf.fused.matMul / tf.fused.conv2d with bias and activation: its
// fastest path, not tf.layers).
//
// Layouts: nnet dense weight [units, in] (= ONNX Gemm B with transB), conv weight [filters, kh, kw, c]
// (ONNX [M, C, kh, kw]; TF.js [kh, kw, c, M]); nnet is channels last, ONNX Runtime runs NCHW, so
// the dense layer after `flatten` gets its columns permuted from (h, w, c) to (c, h, w) order.
// The ONNX conv weight permutation and the LSTM gate order (nnet i, f, g, o; ONNX i, o, f, c) are the
// exporter's own (runtime/export/onnx-layouts.ts), read from nnet's runtime bundle.
import { join } from 'node:path';

export async function loadOnnxWriter(root) {
  return import(join(root, 'dist/runtime/export/index.js'));
}

const raw = (data) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

export function transpose2d(data, rows, cols) {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** nnet conv weight [m, kh, kw, c] → TF.js filter [kh, kw, c, m]. */
function convToHwio(data, [m, kh, kw, c]) {
  const out = new Float32Array(data.length);
  for (let o = 0; o < m; o++) for (let k = 0; k < kh * kw * c; k++) out[k * m + o] = data[o * kh * kw * c + k];
  return out;
}

/** Dense weight [units, h·w·c] read in (h, w, c) order → columns in (c, h, w) order. */
function hwcColumnsToChw(data, units, [h, w, c]) {
  const out = new Float32Array(data.length);
  const n = h * w * c;
  for (let u = 0; u < units; u++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[u * n + (k * h + y) * w + x] = data[u * n + (y * w + x) * c + k];
  return out;
}

/**
 * A layer list shared by the ONNX and TF.js builders. Kinds: conv (3×3 or 5×5, relu, 'valid' or
 * 'same'), maxpool 2, flatten (records the [h, w, c] it flattens), dense (relu or none), softmax.
 */
export const ARCHITECTURES = {
  Mlp: { input: [784], layers: [['dense', 'h1', 'relu'], ['dense', 'h2', 'relu'], ['dense', 'logits', null], ['softmax']] },
  ConvNet: {
    input: [28, 28, 1],
    layers: [['conv', 'c1', 'valid'], ['maxpool'], ['conv', 'c2', 'valid'], ['maxpool'], ['flatten', [5, 5, 64]], ['dense', 'logits', null], ['softmax']],
  },
  LeNet5: {
    input: [28, 28, 1],
    layers: [
      ['conv', 'c1', 'same'], ['maxpool'], ['conv', 'c2', 'valid'], ['maxpool'], ['flatten', [5, 5, 16]],
      ['dense', 'f1', 'relu'], ['dense', 'f2', 'relu'], ['dense', 'logits', null], ['softmax'],
    ],
  },
};

/** The ONNX model of a feed-forward architecture: input `x` ([b, 784] or NCHW [b, 1, 28, 28]), output `probs`. */
export function feedForwardOnnx(onnx, arch, weights) {
  const nodes = [];
  const initializers = [];
  let current = 'x';
  let flattened = null;
  const tensor = (name, dims, data) => initializers.push({ name, dims, dataType: onnx.ONNX_FLOAT, raw: raw(data) });
  arch.layers.forEach(([kind, layer, option], i) => {
    const out = `t${i}`;
    if (kind === 'conv') {
      const w = weights.get(`${layer}.weight`);
      const [m, kh, kw, c] = w.shape;
      tensor(`${layer}.w`, [m, c, kh, kw], onnx.permuteAxes(w.data, w.shape, onnx.TO_CHANNELS_FIRST[2]));
      tensor(`${layer}.b`, [m], weights.get(`${layer}.bias`).data);
      const pads = option === 'same' ? [(kh - 1) >> 1, (kw - 1) >> 1, kh >> 1, kw >> 1] : [0, 0, 0, 0];
      nodes.push({ opType: 'Conv', name: layer, inputs: [current, `${layer}.w`, `${layer}.b`], outputs: [`${out}c`], attributes: [{ name: 'kernel_shape', kind: 'ints', value: [kh, kw] }, { name: 'pads', kind: 'ints', value: pads }] });
      nodes.push({ opType: 'Relu', name: `${layer}.relu`, inputs: [`${out}c`], outputs: [out] });
    } else if (kind === 'maxpool') {
      nodes.push({ opType: 'MaxPool', name: `pool${i}`, inputs: [current], outputs: [out], attributes: [{ name: 'kernel_shape', kind: 'ints', value: [2, 2] }, { name: 'strides', kind: 'ints', value: [2, 2] }] });
    } else if (kind === 'flatten') {
      flattened = layer;
      nodes.push({ opType: 'Flatten', name: `flatten${i}`, inputs: [current], outputs: [out] });
    } else if (kind === 'dense') {
      const w = weights.get(`${layer}.weight`);
      const [units, inputs] = w.shape;
      const data = flattened ? hwcColumnsToChw(w.data, units, flattened) : w.data;
      flattened = null;
      tensor(`${layer}.w`, [units, inputs], data);
      tensor(`${layer}.b`, [units], weights.get(`${layer}.bias`).data);
      const gemmOut = option === 'relu' ? `${out}g` : out;
      nodes.push({ opType: 'Gemm', name: layer, inputs: [current, `${layer}.w`, `${layer}.b`], outputs: [gemmOut], attributes: [{ name: 'transB', kind: 'int', value: 1 }] });
      if (option === 'relu') nodes.push({ opType: 'Relu', name: `${layer}.relu`, inputs: [gemmOut], outputs: [out] });
    } else if (kind === 'softmax') {
      nodes.push({ opType: 'Softmax', name: 'softmax', inputs: [current], outputs: ['probs'], attributes: [{ name: 'axis', kind: 'int', value: -1 }] });
      return;
    }
    current = out;
  });
  const inputShape = arch.input.length === 1 ? ['batch', arch.input[0]] : ['batch', arch.input[2], arch.input[0], arch.input[1]];
  return onnx.encodeModel({
    opset: 13,
    producer: 'nnet-bench',
    graphName: 'bench',
    nodes,
    initializers,
    inputs: [{ name: 'x', elemType: onnx.ONNX_FLOAT, shape: inputShape }],
    outputs: [{ name: 'probs', elemType: onnx.ONNX_FLOAT, shape: ['batch', 10] }],
  });
}

/** ONNX LSTM: X [seq, b, in] → Y_h [1, b, H]. */
export function lstmOnnx(onnx, weights, { seq, features, hidden }) {
  const wih = weights.get('h.w_ih');
  const whh = weights.get('h.w_hh');
  const bias = weights.get('h.bias');
  const b = new Float32Array(8 * hidden);
  b.set(onnx.toOnnxGateOrder('lstm', bias.data, hidden));
  return onnx.encodeModel({
    opset: 13,
    producer: 'nnet-bench',
    graphName: 'lstm',
    nodes: [{ opType: 'LSTM', name: 'lstm', inputs: ['x', 'W', 'R', 'B'], outputs: ['', 'h'], attributes: [{ name: 'hidden_size', kind: 'int', value: hidden }] }],
    initializers: [
      { name: 'W', dims: [1, 4 * hidden, features], dataType: onnx.ONNX_FLOAT, raw: raw(onnx.toOnnxGateOrder('lstm', wih.data, hidden)) },
      { name: 'R', dims: [1, 4 * hidden, hidden], dataType: onnx.ONNX_FLOAT, raw: raw(onnx.toOnnxGateOrder('lstm', whh.data, hidden)) },
      { name: 'B', dims: [1, 8 * hidden], dataType: onnx.ONNX_FLOAT, raw: raw(b) },
    ],
    inputs: [{ name: 'x', elemType: onnx.ONNX_FLOAT, shape: [seq, 'batch', features] }],
    outputs: [{ name: 'h', elemType: onnx.ONNX_FLOAT, shape: [1, 'batch', hidden] }],
  });
}

/**
 * TF.js variables for a feed-forward architecture (same initial weights) and its forward pass on
 * fused ops; `logits(x)` inside a tidy or a gradient scope.
 */
export function feedForwardTf(tf, arch, weights) {
  const vars = [];
  const variable = (data, shape) => {
    const v = tf.variable(tf.tensor(data, shape));
    vars.push(v);
    return v;
  };
  const layers = arch.layers.map(([kind, layer, option]) => {
    if (kind === 'conv') {
      const w = weights.get(`${layer}.weight`);
      const [m, kh, kw, c] = w.shape;
      return { kind, pad: option, filter: variable(convToHwio(w.data, w.shape), [kh, kw, c, m]), bias: variable(weights.get(`${layer}.bias`).data, [m]) };
    }
    if (kind === 'dense') {
      const w = weights.get(`${layer}.weight`);
      const [units, inputs] = w.shape;
      // The [in, units] kernel, so the product needs no transpose flag (10–14× slower in tfjs-wasm).
      return { kind, activation: option ?? 'linear', kernel: variable(transpose2d(w.data, units, inputs), [inputs, units]), bias: variable(weights.get(`${layer}.bias`).data, [units]) };
    }
    return { kind };
  });
  const logits = (x) => {
    let h = x;
    for (const layer of layers) {
      if (layer.kind === 'conv') h = tf.fused.conv2d({ x: h, filter: layer.filter, strides: 1, pad: layer.pad, bias: layer.bias, activation: 'relu' });
      else if (layer.kind === 'maxpool') h = tf.maxPool(h, 2, 2, 'valid');
      else if (layer.kind === 'flatten') h = tf.reshape(h, [h.shape[0], -1]);
      else if (layer.kind === 'dense') h = tf.fused.matMul({ a: h, b: layer.kernel, bias: layer.bias, activation: layer.activation });
    }
    return h;
  };
  return { vars, logits, probs: (x) => tf.softmax(logits(x)) };
}

/** TF.js LSTM on fused ops: the input projection for all steps as one matMul, then one matMul per step. */
export function lstmTf(tf, weights, { seq, features, hidden }) {
  const wih = tf.tensor(transpose2d(weights.get('h.w_ih').data, 4 * hidden, features), [features, 4 * hidden]);
  const whh = tf.tensor(transpose2d(weights.get('h.w_hh').data, 4 * hidden, hidden), [hidden, 4 * hidden]);
  const bias = tf.tensor(weights.get('h.bias').data, [4 * hidden]);
  return (x) => {
    const batch = x.shape[0];
    const projected = tf.reshape(tf.fused.matMul({ a: tf.reshape(x, [batch * seq, features]), b: wih, bias }), [batch, seq, 4 * hidden]);
    const steps = tf.unstack(projected, 1);
    let h = tf.zeros([batch, hidden]);
    let c = tf.zeros([batch, hidden]);
    for (let t = 0; t < seq; t++) {
      const gates = tf.add(steps[t], tf.matMul(h, whh));
      const [i, f, g, o] = tf.split(gates, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    }
    return h;
  };
}
