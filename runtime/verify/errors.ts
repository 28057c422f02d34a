/**
 * Errors of `nnet verify` (runtime/verify/), each with a stable code and what to do about it (NNR72xx;
 * NNR70xx are the ONNX export's, NNR71xx the PyTorch export's):
 *
 * NNR7201  onnxruntime-web is not installed (--against onnx)
 * NNR7202  no python3 that imports torch (--against pytorch; cli/verify-pytorch.ts)
 * NNR7203  the exported model.py failed in Python
 * NNR7204  --against pytorch on a plan file (the export needs the .nnet file's layers)
 *
 * No WebGPU adapter is the WebGPU back end's own NNR6001, and a model the ONNX export cannot write
 * its NNR7001: verify passes those through.
 */
export class VerifyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VerifyError';
  }
}
