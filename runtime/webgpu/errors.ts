/**
 * Errors of the WebGPU runtime. Each carries a stable `NNR6xxx` code (runtime codes are `NNR`, see
 * diagnostics/table.ts) and a message that says what to do; the CLI prints the message, never
 * a stack trace.
 *
 * NNR6001  no WebGPU adapter (how to get one)
 * NNR6002  the plan cannot run on WebGPU (wrong target, missing or malformed program)
 * NNR6003  a GPU error while running a step (validation, out of memory), naming the step
 * NNR6004  the device was lost
 * NNR6005  a tensor handed in does not match the plan (name, shape, dtype)
 */
export class WebGpuError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'WebGpuError';
  }
}

export const NO_ADAPTER_HELP =
  'no WebGPU adapter found. Without a GPU, install the software Vulkan driver (Mesa lavapipe) with ' +
  '`sudo scripts/install-vulkan.sh`, or run on the CPU with `--target cpu`.';
