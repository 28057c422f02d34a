import type { ModelDecl } from '../../grammar/ast.js';
import type { CheckedModel, SymbolInfo, ValueInfo } from '../api-types.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { checkModel } from './model-statements.js';
import type { CheckContext } from './context.js';
import { lastOffset } from './remap.js';
import { guarded } from './reporter.js';

/**
 * Everything checking one model contributes to a document's check. A model is checked in a
 * context of its own (the document's top-level names and blocks, nothing another model added), so
 * this depends only on the model's text and the document's top-level declarations; the language
 * server reuses it, moved to new offsets, for every model an edit did not touch (compiler/index.ts).
 */
export interface ModelCheck {
  model: CheckedModel;
  /** In the order they were reported. */
  diagnostics: Diagnostic[];
  /** Symbols the model declared or read, top-level ones included, with the references it made. */
  symbols: SymbolInfo[];
  /** Hover facts in the order they were first recorded. */
  values: ValueInfo[];
  usedBlocks: string[];
  /** The last offset any of its ranges reaches: an edit after it leaves all of them in place. */
  lastOffset: number;
}

/** Checks one model against the document's top-level names and blocks, touching nothing in `file`. */
export function checkModelAlone(file: CheckContext, decl: ModelDecl): ModelCheck {
  const ctx = file.forModel();
  const model = guarded(ctx.reporter, `model '${decl.name.name}'`, decl.range, () => checkModel(ctx, decl)) ?? emptyModel(decl);
  const check = {
    model,
    diagnostics: ctx.reporter.diagnostics,
    // The top-level symbols the model never read add nothing when merged.
    symbols: ctx.symbols.all.filter((s) => s.container !== '' || s.references.length > 0),
    values: ctx.values.inOrder(),
    usedBlocks: [...ctx.usedBlocks],
  };
  return { ...check, lastOffset: lastOffset(check) };
}

/**
 * Adds a model's contributions to the document's context. Merging the models in document order
 * gives what one shared context would have collected: the first model to expand a block supplies
 * its hover facts and symbols, later ones add references, and diagnostics keep their order.
 */
export function mergeModelCheck(ctx: CheckContext, check: ModelCheck): void {
  for (const diagnostic of check.diagnostics) ctx.reporter.diagnostics.push(diagnostic);
  for (const symbol of check.symbols) ctx.symbols.merge(symbol);
  for (const value of check.values) ctx.values.add(value);
  for (const block of check.usedBlocks) ctx.usedBlocks.add(block);
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
    blocks: [],
  };
}
