export { exportOnnx, toOnnxModel, ExportError, ONNX_OPSET, type OnnxExportOptions } from './onnx.js';
export { encodeModel, ONNX_FLOAT, type OnnxModel } from './onnx-model.js';
export { permuteAxes, toOnnxGateOrder, TO_CHANNELS_FIRST } from './onnx-layouts.js';
