import type { FileNode, ModelDecl } from '../../grammar/ast.js';
import type { CheckedModel } from '../api-types.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { GanConfig } from '../train-config.js';
import { CheckContext } from './context.js';
import { Evaluator } from './evaluate.js';
import { LayerGraphBuilder } from './build-graph.js';
import { checkGan } from './gan.js';
import { checkModelAlone, mergeModelCheck, type ModelCheck } from './model-check.js';
import { guarded } from './reporter.js';
import { ERROR } from './values.js';

export interface FileCheck {
  diagnostics: Diagnostic[];
  models: CheckedModel[];
  gans: GanConfig[];
  context: CheckContext;
  /** Each model's own contributions, in document order (what `reuse` may hand back next time). */
  modelChecks: ModelCheck[];
}

/**
 * A previous check of a model that is still valid (see compiler/index.ts), or undefined to check
 * it. `index` counts models in document order.
 */
export type ReuseModelCheck = (decl: ModelDecl, index: number) => ModelCheck | undefined;

/**
 * Checks a whole document: top-level names first (constants in order, blocks, models, gans, so a
 * model may use a block declared after it), then every model, then every gan. Each model is checked
 * on its own (compiler/check/model-check.ts), so an internal error in one becomes a diagnostic and
 * the others are still checked, and a model an edit did not touch can be reused instead.
 */
export function checkFile(file: FileNode, path: string | undefined, reuse: ReuseModelCheck = () => undefined): FileCheck {
  const ctx = new CheckContext(path);
  const { reporter, fileScope } = ctx;
  const constants = new Evaluator(ctx, new LayerGraphBuilder(), fileScope);

  for (const decl of file.decls) {
    switch (decl.kind) {
      case 'Let':
        fileScope.define(decl.name, 'const', constants.constant(decl.value, decl.name.name), decl.range, reporter);
        break;
      case 'Block':
        if (fileScope.define(decl.name, 'block', ERROR, decl.range, reporter)) ctx.blocks.set(decl.name.name, decl);
        break;
      case 'Model':
        fileScope.define(decl.name, 'model', ERROR, decl.range, reporter);
        break;
      case 'Gan':
        fileScope.define(decl.name, 'gan', ERROR, decl.range, reporter);
        break;
    }
  }

  const modelChecks: ModelCheck[] = [];
  const byName = new Map<string, CheckedModel>();
  for (const decl of file.decls) {
    if (decl.kind !== 'Model') continue;
    const check = reuse(decl, modelChecks.length) ?? checkModelAlone(ctx, decl);
    mergeModelCheck(ctx, check);
    modelChecks.push(check);
    if (!byName.has(check.model.name)) byName.set(check.model.name, check.model);
  }

  const gans: GanConfig[] = [];
  for (const decl of file.decls) {
    if (decl.kind !== 'Gan') continue;
    const gan = guarded(reporter, `gan '${decl.name.name}'`, decl.range, () => checkGan(ctx, decl, byName));
    if (gan) gans.push(gan);
  }

  for (const [name, block] of ctx.blocks) {
    if (!ctx.usedBlocks.has(name)) reporter.report('NN2028', [name], block.name.range);
  }
  return { diagnostics: reporter.diagnostics, models: modelChecks.map((c) => c.model), gans, context: ctx, modelChecks };
}
