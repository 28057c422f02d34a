import type { FileNode, ModelDecl } from '../../grammar/ast.js';
import type { CheckedModel } from '../api-types.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { GanConfig } from '../train-config.js';
import { checkModel } from './check-model.js';
import { CheckContext } from './context.js';
import { Evaluator } from './evaluate.js';
import { GraphBuilder } from './build-graph.js';
import { checkGan } from './gan.js';
import type { Reporter } from './reporter.js';
import { ERROR } from './values.js';

export interface FileCheck {
  diagnostics: Diagnostic[];
  models: CheckedModel[];
  gans: GanConfig[];
  context: CheckContext;
}

/**
 * Checks a whole document: top-level names first (constants in order, blocks, models, gans, so a
 * model may use a block declared after it), then every model, then every gan. Each model is checked
 * on its own, so an internal error in one becomes a diagnostic and the others are still checked.
 */
export function checkFile(file: FileNode, path: string | undefined): FileCheck {
  const ctx = new CheckContext(path);
  const { reporter, fileScope } = ctx;
  const constants = new Evaluator(ctx, new GraphBuilder(), fileScope);

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

  const models: CheckedModel[] = [];
  const byName = new Map<string, CheckedModel>();
  for (const decl of file.decls) {
    if (decl.kind !== 'Model') continue;
    const model = guarded(reporter, `model '${decl.name.name}'`, decl.range, () => checkModel(ctx, decl)) ?? emptyModel(decl);
    models.push(model);
    if (!byName.has(model.name)) byName.set(model.name, model);
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
  return { diagnostics: reporter.diagnostics, models, gans, context: ctx };
}

/** Runs one unit of checking; a thrown error (a checker bug) becomes an NN2099 diagnostic. */
function guarded<T>(reporter: Reporter, what: string, range: { start: number; end: number }, body: () => T): T | undefined {
  try {
    return body();
  } catch (error) {
    const message = error instanceof RangeError ? 'the model nests too deeply' : error instanceof Error ? error.message : String(error);
    reporter.report('NN2099', [what, message], { start: range.start, end: range.start });
    return undefined;
  }
}

function emptyModel(decl: ModelDecl): CheckedModel {
  return {
    name: decl.name.name,
    range: decl.range,
    graph: { nodes: [], inputs: [], outputs: [], params: [] },
    train: null,
    summary: [],
    totalParams: 0,
    trainableParams: 0,
    ok: false,
  };
}
