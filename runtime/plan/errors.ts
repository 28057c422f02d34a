/**
 * Runtime load errors (NNR1xxx): plan validation (10xx), weights against the plan (11xx) and the
 * safetensors container (12xx). Each carries a stable code and names what is wrong.
 */
export class PlanError extends Error {
  constructor(readonly code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'PlanError';
  }
}

const PLAN_ERROR_CODES = {
  NNR1001: 'not a plan document (JSON object with format "nnet-plan")',
  NNR1002: 'unsupported plan version',
  NNR1003: 'malformed top-level field',
  NNR1004: 'malformed or duplicate tensor',
  NNR1005: 'unknown kernel',
  NNR1006: 'invalid fused epilogue',
  NNR1007: 'wrong number of step inputs or outputs',
  NNR1008: 'missing or mistyped kernel attribute',
  NNR1009: 'step names an unknown tensor',
  NNR1010: 'tensor read before any step writes it',
  NNR1011: 'inputs, labels, outputs or loss name a wrong tensor',
  NNR1012: 'invalid memory plan',
  NNR1013: 'invalid dim expression',
  NNR1014: 'invalid or missing WebGPU program',
  NNR1015: "a step's output shape does not follow from its inputs and kernel",
  NNR1016: 'nested too deep (a dim expression or the plan document)',
  NNR1017: "the inputs' sizes leave a tensor with no elements along a computed dim (an input too short for the model's windows)",
  NNR1018: "the inputs' sizes make a step read outside a tensor (a sequence longer than a position_embedding's max_len)",
  NNR1019: "the model needs more of the CPU kernels' WebAssembly memory than it can grow to (wasm32's 4 GiB)",
  NNR1101: 'weight missing',
  NNR1102: 'weight has the wrong size or shape',
  NNR1103: 'weight has the wrong dtype',
  NNR1201: 'safetensors file truncated',
  NNR1202: 'safetensors header invalid',
  NNR1203: 'safetensors tensor offsets out of range or overlapping',
  NNR1204: 'safetensors dtype unsupported or inconsistent with shape',
} as const;

