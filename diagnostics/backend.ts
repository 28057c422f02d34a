import type { DiagnosticDef } from './types.js';

/**
 * NN5xxx: problems found only when lowering or emitting a model that the front end accepted
 * (`nnet compile`, `run`, `train`), e.g. an op the chosen target cannot run yet.
 */
export const BACKEND_DIAGNOSTICS = [
  { code: 'NN5001', severity: 'error', template: "model '{0}' not found", explanation: 'The model named on the command line (`--model`) is not declared in the file.' },
  { code: 'NN5002', severity: 'error', template: "model '{0}' has errors; fix them before compiling", explanation: 'Compilation needs a model without check errors; run `nnet check` to see them.' },
  { code: 'NN5003', severity: 'error', template: '{0}', explanation: 'The back end cannot lower this layer (yet). The message names the op and what is unsupported.' },
  { code: 'NN5004', severity: 'error', template: "model '{0}' has no train section", explanation: 'Training plans need a `train { ... }` section with a loss and an optimizer.' },
  { code: 'NN5005', severity: 'error', template: '{0}', explanation: 'A parameter could not be initialised: a symbolic shape, the wrong number of literal values, or an unreadable weights file.' },
  { code: 'NN5006', severity: 'error', template: '{0}', explanation: 'A step has no WebGPU kernel yet; compile with `--target cpu`.' },
  {
    code: 'NN5007',
    severity: 'error',
    template: "model '{0}' needs {1} at batch {2}, over the memory limit of {3}; the largest tensors: {4}",
    explanation:
      'The compiled plan\'s weights, optimizer state and peak activation memory do not fit the memory budget, so nothing is allocated. The budget is `--memory-limit` (e.g. `8GiB`), by default the machine\'s free memory. Make the largest layers smaller, lower the batch size, or raise the limit.',
  },
  { code: 'NN5099', severity: 'error', template: 'internal error: {0}', explanation: 'A bug in nnet, not in the file: a command failed where it should have reported a diagnostic. Please report it with the command and file; `NNET_DEBUG=1` prints the stack.' },
] as const satisfies readonly DiagnosticDef[];
