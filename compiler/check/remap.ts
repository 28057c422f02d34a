import type { SourceRange } from '../../grammar/ast.js';
import type { CheckedModel, SymbolInfo, ValueInfo } from '../api-types.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { IRNode } from '../ir/graph.js';
import type { Origin } from '../ir/types.js';
import type { TrainConfig } from '../train-config.js';
import type { ModelCheck } from './model-check.js';

/** Maps an offset in a document's previous text to the same place in its current text. */
export type OffsetMap = (offset: number) => number;

/**
 * A model's check moved to new offsets: every range it holds (diagnostics and their notes and
 * fixes, symbols and references, hover facts, the graph's origins, the summary, the train
 * section) goes through `map`. Copies what holds a range and shares the rest, so `check` itself
 * stays valid. Anything added to these structures that holds a range must be mapped here; the
 * edit-equivalence test (test/compiler/check/check-after-edit.test.ts) catches a forgotten one.
 */
export function remapModelCheck(check: ModelCheck, map: OffsetMap): ModelCheck {
  const range = (r: SourceRange): SourceRange => ({ start: map(r.start), end: map(r.end) });
  return {
    model: remapModel(check.model, range),
    diagnostics: check.diagnostics.map((d) => remapDiagnostic(d, range)),
    symbols: check.symbols.map((s): SymbolInfo => ({
      ...s,
      definition: range(s.definition),
      declaration: range(s.declaration),
      references: s.references.map(range),
    })),
    values: check.values.map((v): ValueInfo => ({ ...v, range: range(v.range) })),
    usedBlocks: check.usedBlocks,
    lastOffset: map(check.lastOffset),
  };
}

/** The largest offset among the ranges `remapModelCheck` maps (it must visit the same ones). */
export function lastOffset(check: Omit<ModelCheck, 'lastOffset'>): number {
  let last = 0;
  const see = (r: SourceRange): void => {
    if (r.end > last) last = r.end;
  };
  for (const d of check.diagnostics) {
    see(d.range);
    d.related?.forEach((r) => see(r.range));
    d.fix?.edits.forEach((e) => see(e.range));
  }
  for (const s of check.symbols) {
    see(s.definition);
    see(s.declaration);
    s.references.forEach(see);
  }
  check.values.forEach((v) => see(v.range));
  const { model } = check;
  see(model.range);
  model.graph.nodes.forEach((n) => see(n.origin.range));
  model.summary.forEach((row) => see(row.range));
  if (model.train) {
    see(model.train.range);
    see(model.train.loss.range);
    if (model.train.data) see(model.train.data.range);
  }
  return last;
}

type RangeMap = (range: SourceRange) => SourceRange;

function remapDiagnostic(d: Diagnostic, range: RangeMap): Diagnostic {
  const moved: Diagnostic = { ...d, range: range(d.range) };
  if (d.related) moved.related = d.related.map((r) => ({ ...r, range: range(r.range) }));
  if (d.fix) moved.fix = { ...d.fix, edits: d.fix.edits.map((e) => ({ ...e, range: range(e.range) })) };
  return moved;
}

function remapModel(model: CheckedModel, range: RangeMap): CheckedModel {
  // A layer's weight nodes and its own node share one origin: map each origin once. Nodes are
  // built field by field, which is several times faster than spreading them (thousands per edit).
  const origins = new Map<Origin, Origin>();
  const origin = (o: Origin): Origin => {
    let moved = origins.get(o);
    if (!moved) origins.set(o, (moved = { range: range(o.range), layer: o.layer, op: o.op }));
    return moved;
  };
  const nodes = model.graph.nodes.map((n): IRNode => ({ id: n.id, op: n.op, inputs: n.inputs, attrs: n.attrs, type: n.type, origin: origin(n.origin) }));
  return {
    ...model,
    range: range(model.range),
    graph: { ...model.graph, nodes },
    summary: model.summary.map((row) => ({ ...row, range: range(row.range) })),
    train: model.train && remapTrain(model.train, range),
  };
}

function remapTrain(train: TrainConfig, range: RangeMap): TrainConfig {
  return {
    ...train,
    loss: { ...train.loss, range: range(train.loss.range) },
    data: train.data && { ...train.data, range: range(train.data.range) },
    range: range(train.range),
  };
}
