export { exportOnnx, toOnnxModel, ExportError, ONNX_OPSET, type OnnxExportOptions } from './onnx.js';
export { encodeModel, type OnnxModel } from './onnx-model.js';
