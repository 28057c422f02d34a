import type { Expr, IndexExpr, SliceItem, SourceRange } from '../../grammar/ast.js';
import type { Dim } from '../ir/types.js';
import { dimAdd, dimCeilDiv, formatShape } from '../shapes/dims.js';
import type { Evaluator, Naming } from './evaluate.js';
import { describe, ERROR, type TensorValue, type Value } from './values.js';

/**
 * `x[items]`: Python's indexing on the leading axes, one item per axis. An index (`0`, `-1`) picks one
 * position and drops the axis; a slice `start:stop:step` keeps it (parts left out default to the
 * whole axis, negative numbers count from the end, a negative step walks backwards); axes after the
 * last item are kept whole. On a symbolic axis (`seq`) the positions are dim expressions (`x[:, -1]`
 * reads `seq-1`); a reversed slice of one is refused. The result is one `strided_read` node, whose
 * axis map runtime/plan/kernels.ts documents.
 */

interface AxisRead {
  start: Dim;
  step: number;
  /** The kept size, or null when the axis is dropped by an index. */
  size: Dim | null;
}

export function indexTensor(ev: Evaluator, expr: IndexExpr, naming: Naming): Value {
  const target = ev.expr(expr.target, { ...naming, final: null });
  if (target.kind === 'error') return ERROR;
  if (target.kind !== 'tensor') {
    ev.ctx.reporter.report('NN2016', ['a tensor to index', describe(target)], expr.target.range);
    return ERROR;
  }
  const shape = target.type.shape;
  if (expr.items.length > shape.length) {
    fail(ev, target, expr, `at most ${shape.length} indices (one per axis)`, `${expr.items.length}`);
    return ERROR;
  }
  const reads: AxisRead[] = [];
  for (let i = 0; i < shape.length; i++) {
    const item = expr.items[i];
    const read = item === undefined ? { start: 0, step: 1, size: shape[i]! } : axisRead(ev, target, expr, item, i, shape[i]!);
    if (read === null) return ERROR;
    reads.push(read);
  }
  const kept = reads.flatMap((r, i) => (r.size === null ? [] : [i]));
  const type = { shape: kept.map((i) => reads[i]!.size!), dtype: target.type.dtype };
  const attrs = { axes: kept, starts: reads.map((r) => r.start), steps: reads.map((r) => r.step), shape: type.shape };
  const { builder } = ev;
  const layer = builder.uniqueLayer(expr === naming.final ? (naming.finalName ?? naming.base) : `${naming.base}/index`);
  const node = builder.addLayer('strided_read', [target.node], attrs, type, { range: expr.range, layer, op: 'index' }, 0);
  ev.ctx.values.add({ range: expr.range, type, op: 'index', inputTypes: [target.type], params: 0 });
  const value: TensorValue = { kind: 'tensor', node, type, origin: expr.range, name: layer, lastOp: 'index' };
  return value;
}

function axisRead(ev: Evaluator, x: TensorValue, expr: IndexExpr, item: Expr | SliceItem, axis: number, dim: Dim): AxisRead | null {
  if (item.kind === 'Error') return null;
  if (item.kind !== 'Slice') {
    const n = whole(ev, item);
    if (n === null) return null;
    const start = position(n, dim);
    if (typeof dim === 'number' && (n < -dim || n >= dim)) return fail(ev, x, expr, `an index of axis ${axis} in ${-dim}..${dim - 1}`, `${n}`);
    return { start, step: 1, size: null };
  }
  const parts = [item.start, item.stop, item.step].map((p) => (p === undefined ? undefined : whole(ev, p)));
  if (parts.includes(null)) return null;
  const [start, stop, step = 1] = parts as Array<number | undefined>;
  if (step === 0) return fail(ev, x, expr, 'a slice step other than 0', '0');
  if (typeof dim === 'number') {
    const [from, size] = concreteSlice(start, stop, step!, dim);
    if (size <= 0) return fail(ev, x, expr, `a slice of axis ${axis} (size ${dim}) that keeps at least one position`, sliceText(item, start, stop, step));
    return { start: from, step: step!, size };
  }
  if (step! < 0) return fail(ev, x, expr, `a forward slice of the symbolic axis ${axis} (${dim})`, sliceText(item, start, stop, step));
  const from: Dim = start === undefined ? 0 : position(start, dim);
  // Positions counted from the end are `dim - k`: a span between two of them is a plain number.
  const fromEnd = start !== undefined && start < 0;
  const toEnd = stop === undefined || stop < 0;
  const [a, b] = [start ?? 0, stop ?? 0];
  const span: Dim = fromEnd === toEnd ? (fromEnd || stop !== undefined ? b - a : dimAdd(dim, -a)) : toEnd ? dimAdd(dim, b - a) : `${b - a}-${dim}`;
  if (typeof span === 'number' && span <= 0) return fail(ev, x, expr, `a slice of axis ${axis} (${dim}) that keeps at least one position`, sliceText(item, start, stop, step));
  return { start: from, step: step!, size: step === 1 ? span : dimCeilDiv(span, step!) };
}

/** Python's slice.indices on a known size: the first position read and how many are read. */
function concreteSlice(start: number | undefined, stop: number | undefined, step: number, dim: number): [number, number] {
  const clamp = (v: number, low: number, high: number): number => Math.min(Math.max(v, low), high);
  const resolve = (v: number | undefined, fallback: number, low: number, high: number): number => (v === undefined ? fallback : clamp(v < 0 ? v + dim : v, low, high));
  const from = step > 0 ? resolve(start, 0, 0, dim) : resolve(start, dim - 1, -1, dim - 1);
  const to = step > 0 ? resolve(stop, dim, 0, dim) : resolve(stop, -1, -1, dim - 1);
  const size = step > 0 ? Math.ceil((to - from) / step) : Math.ceil((from - to) / -step);
  return [from, Math.max(0, size)];
}

/** A position on an axis: a non-negative number as is, a negative one counted from the end. */
function position(n: number, dim: Dim): Dim {
  if (n >= 0) return n;
  return typeof dim === 'number' ? dim + n : dimAdd(dim, n);
}

function whole(ev: Evaluator, expr: Expr): number | null {
  const value = ev.expr(expr, { base: '', final: null });
  if (value.kind === 'number' && Number.isInteger(value.value)) return value.value;
  if (value.kind === 'error') return null;
  if (value.kind === 'word') {
    ev.undefinedName(value.name, value.range);
    return null;
  }
  ev.ctx.reporter.report('NN2016', ['a whole number in an index', describe(value)], expr.range);
  return null;
}

function sliceText(item: SliceItem, start: number | undefined, stop: number | undefined, step: number | undefined): string {
  return `${start ?? ''}:${stop ?? ''}${item.step ? `:${step}` : ''}`;
}

function fail(ev: Evaluator, x: TensorValue, expr: IndexExpr, expected: string, actual: string): null {
  const related = [{ message: `'${x.name}' gets its shape ${formatShape(x.type.shape)} here`, range: x.origin as SourceRange }];
  ev.ctx.reporter.report('NN2003', ['indexing', expected, actual], expr.range, { related });
  return null;
}
