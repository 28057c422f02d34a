import { DISCARD } from '../ops/split.js';
import type { Reporter } from './reporter.js';
import type { Scope } from './resolve.js';

/** Warns about values (NN2005) and inputs (NN2029) of a scope that nothing reads and that are not outputs. */
export function reportUnused(scope: Scope, reporter: Reporter, outputs: ReadonlySet<string>): void {
  for (const [name, binding] of scope.ownBindings()) {
    const kind = binding.symbol.kind;
    if (kind !== 'value' && kind !== 'input') continue;
    if (binding.used || outputs.has(name)) continue;
    if (binding.value.kind !== 'tensor') continue;
    // An unused part of a split is discarded by naming it `_`, as in Python.
    const fix = binding.splitPart ? { title: `Discard it: replace '${name}' with ${DISCARD}`, edits: [{ range: binding.symbol.definition, newText: DISCARD }] } : undefined;
    reporter.report(kind === 'input' ? 'NN2029' : 'NN2005', [name], binding.symbol.definition, fix ? { fix } : {});
  }
}
