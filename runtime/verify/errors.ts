/**
 * Errors of `nnet verify` (runtime/verify/), each with a stable code and what to do about it (NNR72xx;
 * NNR70xx are the ONNX export's, NNR71xx the PyTorch export's):
 *
 * NNR7201  the target's runtime is not available here (onnxruntime-web not installed; no python3 with torch)
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
