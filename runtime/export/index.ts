export { exportOnnx, toOnnxModel, ExportError } from './onnx.js';
export { encodeModel, type OnnxModel } from './onnx-model.js';
