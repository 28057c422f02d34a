import type { Expr, Ident, SourceRange, TupleAssignStmt } from '../../grammar/ast.js';
import type { Fix } from '../../diagnostics/types.js';
import { formatShape } from '../shapes/dims.js';
import { DISCARD, nearEqualSizes, partShape, SPLIT, splitParts, type SplitFailure, type SplitParts } from '../ops/split.js';
import { matchArgs, type EvaluatedArg } from './args.js';
import type { Evaluator, Naming } from './evaluate.js';
import { finalExpr } from './final-expr.js';
import { ERROR, type TensorValue, type Value } from './values.js';

/**
 * `mu, logvar = split(h, 2, axis: -1)`: the tuple assignment and the `split` it takes apart.
 *
 * Lowering choice: each part is a slice, one `strided_read` layer node per part, made here as
 * indexing makes its nodes (compiler/check/indexing.ts), rather than a `split` kernel with several
 * outputs. A slice already has its shape rules, gradient (each part's gradient lands in its own
 * span of x's), CPU and WGSL kernels, fusion, ONNX export (Slice) and PyTorch export (x[:, a:b]);
 * a multi-output kernel would be the plan's only one and need all of those anew, for an op that
 * moves no arithmetic. What it costs: n reads of x instead of one pass, which for the small
 * tensors a split takes apart (a VAE's statistics, gates) is noise next to the layers around it.
 */

/** A name of a tuple assignment, with the layer name its part gets. `_` discards its part. */
export interface SplitTarget {
  name: Ident;
  layer: string;
}

/**
 * Checks `a, b, ... = value`: the value must be a split with one part per name (NN2033), else it
 * is NN2037. Binds each name to its part (an error value when the split failed), except `_`.
 * `layerOf` names a part's layer after its name (`mu`, or `enc/mu` inside a block expansion).
 */
export function checkTupleAssign(ev: Evaluator, stmt: TupleAssignStmt, layerOf: (name: string) => string): void {
  const { reporter } = ev.ctx;
  const targets: SplitTarget[] = stmt.names.map((name) => ({ name, layer: layerOf(name.name) }));
  const first = stmt.names.find((n) => !n.missing && n.name !== DISCARD);
  const final = finalExpr(stmt.value);
  const value = ev.expr(stmt.value, { base: layerOf(first?.name ?? SPLIT.name), final, targets });
  if (value.kind !== 'parts' && value.kind !== 'error') {
    const fix: Fix | undefined = first
      ? { title: `Assign the value to '${first.name}' alone`, edits: [{ range: namesRange(stmt), newText: first.name }] }
      : undefined;
    reporter.report('NN2037', [String(stmt.names.length), whatGives(final)], namesRange(stmt), fix ? { fix } : {});
  }
  stmt.names.forEach((name, i) => {
    if (name.name === DISCARD) return;
    const part = value.kind === 'parts' ? value.parts[i] : undefined;
    const binding = ev.scope.define(name, 'value', part ?? ERROR, stmt.range, reporter);
    if (binding) binding.splitPart = true;
  });
}

/**
 * `split(x, parts, axis: -1)` wherever it is called. As the value of a tuple assignment it gives
 * one part per name (a `parts` value); anywhere else it is one value, so it must have one part.
 */
export function splitCall(ev: Evaluator, args: EvaluatedArg[], site: Expr, naming: Naming): Value {
  const { reporter } = ev.ctx;
  const matched = matchArgs(SPLIT.name, SPLIT.params, args, site.range, ev.matchContext);
  if (!matched.ok) return ERROR;
  const x = matched.tensors[0]!;
  const parts = matched.values.parts as number | number[];
  const partsRange = matched.ranges.get('parts') ?? site.range;
  const rule = splitParts(x.type.shape, parts, matched.values.axis as number);
  if ('kind' in rule) {
    reportFailure(ev, rule, x, parts, site.range, partsRange, matched.values.axis as number);
    return ERROR;
  }
  const targets = site === naming.final ? naming.targets : undefined;
  const wanted = targets?.length ?? 1;
  if (rule.sizes.length !== wanted) {
    const given = `${rule.sizes.length} part${rule.sizes.length === 1 ? '' : 's'}`;
    if (!targets) {
      reporter.report('NN2033', [given, 'only one value is taken here (assign the parts to names: a, b = split(...))'], site.range);
      return ERROR;
    }
    const stmtNames = { start: targets[0]!.name.range.start, end: targets.at(-1)!.name.range.end };
    const fix: Fix | undefined =
      typeof parts === 'number' ? { title: `Split into ${wanted} parts`, edits: [{ range: partsRange, newText: String(wanted) }] } : undefined;
    const related = [{ message: `split(...) gives ${given} here`, range: site.range }];
    reporter.report('NN2033', [given, `${wanted} names take them`], stmtNames, { related, ...(fix ? { fix } : {}) });
    return ERROR;
  }
  const values = rule.sizes.map((_, i) => {
    const target = targets?.[i];
    if (target?.name.name === DISCARD) return null;
    const layer = target ? target.layer : site === naming.final ? (naming.finalName ?? naming.base) : `${naming.base}/${SPLIT.name}`;
    return part(ev, x, rule, i, layer, target?.name.range ?? site.range);
  });
  return targets ? { kind: 'parts', parts: values } : values[0]!;
}

/** Part `i` of x: a slice of the split axis, every other axis whole. */
function part(ev: Evaluator, x: TensorValue, rule: SplitParts, i: number, name: string, range: SourceRange): TensorValue {
  const shape = partShape(x.type.shape, rule.axis, rule.sizes[i]!);
  const type = { shape, dtype: x.type.dtype };
  const attrs = {
    axes: shape.map((_, a) => a),
    starts: shape.map((_, a) => (a === rule.axis ? rule.offsets[i]! : 0)),
    steps: shape.map(() => 1),
    shape,
  };
  const layer = ev.builder.uniqueLayer(name);
  const node = ev.builder.addLayer('strided_read', [x.node], attrs, type, { range, layer, op: SPLIT.name }, 0);
  ev.ctx.values.add({ range, type, op: SPLIT.name, inputTypes: [x.type], params: 0 });
  return { kind: 'tensor', node, type, origin: range, name: layer, lastOp: SPLIT.name };
}

function reportFailure(ev: Evaluator, failure: SplitFailure, x: TensorValue, parts: number | number[], site: SourceRange, partsRange: SourceRange, axis: number): void {
  const { reporter } = ev.ctx;
  const related = [{ message: `'${x.name}' gets its shape ${formatShape(x.type.shape)} here`, range: x.origin }];
  const replaceParts = (title: string, sizes: number[]): Fix => ({ title, edits: [{ range: partsRange, newText: `[${sizes.join(', ')}]` }] });
  switch (failure.kind) {
    case 'axis':
      reporter.report('NN2003', ['split', `an axis between ${-failure.rank} and ${failure.rank - 1}`, `axis ${axis} of ${formatShape(x.type.shape)}`], site, { related });
      return;
    case 'symbolic':
      reporter.report('NN2036', [String(failure.axis), x.name, failure.dim], site, { related });
      return;
    case 'indivisible': {
      const fix = failure.parts <= failure.dim ? replaceParts(`Use the sizes [${nearEqualSizes(failure.dim, failure.parts).join(', ')}]`, nearEqualSizes(failure.dim, failure.parts)) : undefined;
      reporter.report('NN2035', [String(failure.parts), String(failure.axis), x.name, String(failure.dim)], partsRange, { related, ...(fix ? { fix } : {}) });
      return;
    }
    case 'sum': {
      const sizes = parts as number[];
      const others = sizes.slice(0, -1).reduce((a, b) => a + b, 0);
      const last = failure.dim - others;
      const fix = sizes.length > 1 && last >= 1 ? replaceParts(`Make the last size ${last}`, [...sizes.slice(0, -1), last]) : undefined;
      reporter.report('NN2034', [`[${sizes.join(', ')}]`, String(failure.sum), String(failure.axis), x.name, String(failure.dim)], partsRange, { related, ...(fix ? { fix } : {}) });
      return;
    }
  }
}

/** From the first name to the last: where a tuple's count is wrong. */
function namesRange(stmt: TupleAssignStmt): SourceRange {
  return { start: stmt.names[0]!.range.start, end: stmt.names.at(-1)!.range.end };
}

/** What a non-split value is, for NN2037: `dense(...)`, `'h'`, or an expression. */
function whatGives(expr: Expr): string {
  if (expr.kind === 'Call') return `${expr.callee.name}(...)`;
  if (expr.kind === 'Name') return `'${expr.name}'`;
  return 'the expression';
}
