import { assertValidGraph } from '../ir/verify.js';
import { dropDeadNodes } from './drop-dead-nodes.js';
import { foldConstants } from './fold-constants.js';
import { fuseEpilogues } from './fuse-epilogues.js';
import type { Program } from './program.js';

/**
 * The optimisation passes, in order, by name. Lowering and autodiff run before them
 * (compiler/compile.ts); memory planning runs on the emitted plan (compiler/emit/memory-plan.ts).
 */
export interface Pass {
  name: string;
  run: (program: Program) => Program;
}

export const PASSES: readonly Pass[] = [
  { name: 'fold-constants', run: foldConstants },
  { name: 'fuse-epilogues', run: fuseEpilogues },
  { name: 'drop-dead-nodes', run: dropDeadNodes },
];

/** Every stage of compileModel in order, for docs and debugging: IR stages, then plan stages. */
export const STAGES: readonly string[] = ['lower', 'autodiff', ...PASSES.map((p) => p.name), 'emit', 'plan-memory', 'init-weights'];

export interface PipelineOptions {
  fuse: boolean;
  /** Run the IR verifier after every pass (tests turn this on). */
  verify?: boolean;
}

export function runPasses(program: Program, options: PipelineOptions): Program {
  let current = program;
  for (const pass of PASSES) {
    if (pass.name === 'fuse-epilogues' && !options.fuse) continue;
    current = pass.run(current);
    if (options.verify) assertValidGraph(current.graph, pass.name, { primitivesOnly: true, checked: current.checked ?? [] });
  }
  return current;
}
