import type { Expr, Setting } from '../../grammar/ast.js';
import type { Graph } from '../ir/graph.js';
import { findOp, settingNames } from '../ops/registry.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import type { Dim } from '../ir/types.js';
import type { LossKind, LossSpec, LossTermSpec } from '../train-config.js';
import type { Evaluator } from './evaluate.js';
import { namedCall } from './named-call.js';
import { describe, type TensorValue, type Value } from './values.js';

/**
 * The loss setting: a weighted sum of loss functions and scalar model values,
 *
 *   loss cross_entropy(logits, label) + 0.5 * mse(recon, image) - 0.01 * entropy + kl
 *
 * Each term is a loss call or a model value, times (or divided by) constants; `+`, `-` and unary
 * minus combine them. Returns the terms in writing order, or null after reporting why there are none.
 */
export function checkLossExpression(ev: Evaluator, setting: Setting, graph: Graph): LossTermSpec[] | null {
  const reporter = ev.ctx.reporter;
  if (setting.values.length !== 1) {
    reporter.report('NN3009', ['loss', 'one loss expression, such as cross_entropy(logits, label) + 0.5 * mse(b, z)'], setting.range);
    return null;
  }
  const raw: RawTerm[] = [];
  if (!split(ev, setting.values[0]!, 1, raw)) return null;
  const terms: LossTermSpec[] = [];
  let ok = true;
  for (const { expr, value, weight } of raw) {
    const term = value === undefined ? lossTerm(ev, setting, expr, graph) : valueTerm(ev, value, expr);
    if (term) terms.push({ ...term, weight });
    else ok = false;
  }
  if (!ok) return null;
  if (!terms.some((t) => t.kind !== 'value')) {
    reporter.report('NN3013', ['needs at least one loss function, such as mse(prediction, target)'], setting.values[0]!.range);
    return null;
  }
  return terms;
}

/** A term before checking: a loss call to check, or a model value already evaluated. */
type RawTerm = { weight: number } & ({ expr: Expr; value?: undefined } | { expr: Expr; value: Value });

const LOSS_NAMES = new Set(settingNames('loss'));

/** A call of a loss, or of a name that is neither an op nor a block (reported as an unknown loss, with did-you-mean). */
function isLossCall(ev: Evaluator, expr: Expr): boolean {
  if (expr.kind !== 'Call') return false;
  const name = expr.callee.name;
  return LOSS_NAMES.has(name) || (!findOp(name) && !ev.ctx.blocks.has(name));
}

function containsLoss(ev: Evaluator, expr: Expr): boolean {
  switch (expr.kind) {
    case 'Call':
      return isLossCall(ev, expr) || expr.args.some((a) => containsLoss(ev, a.value));
    case 'Binary':
      return containsLoss(ev, expr.left) || containsLoss(ev, expr.right);
    case 'Unary':
      return containsLoss(ev, expr.operand);
    case 'Pipe':
      return expr.stages.some((stage) => containsLoss(ev, stage));
    default:
      return false;
  }
}

/**
 * Splits `expr` (scaled by `weight`) into terms; false after reporting a form that is not a weighted
 * sum. Every expression is evaluated once (an inline layer call must not be built twice).
 */
function split(ev: Evaluator, expr: Expr, weight: number, out: RawTerm[]): boolean {
  const reporter = ev.ctx.reporter;
  const evaluate = (e: Expr): Value => ev.expr(e, { base: 'loss', final: null });
  switch (expr.kind) {
    case 'Error':
      return false;
    case 'Unary':
      return split(ev, expr.operand, -weight, out);
    case 'Call':
      if (isLossCall(ev, expr)) {
        out.push({ expr, weight });
        return true;
      }
      break;
    case 'Binary': {
      if (expr.op === '+' || expr.op === '-') {
        return split(ev, expr.left, weight, out) && split(ev, expr.right, expr.op === '-' ? -weight : weight, out);
      }
      if (containsLoss(ev, expr.right) && expr.op === '/') {
        reporter.report('NN3013', ['divides by a loss; only constants may divide a term'], expr.right.range);
        return false;
      }
      if (containsLoss(ev, expr.left) || containsLoss(ev, expr.right)) {
        const [factor, rest] = containsLoss(ev, expr.left) ? [expr.right, expr.left] : [expr.left, expr.right];
        const c = constant(ev, factor);
        if (c === 0 && expr.op === '/') reporter.report('NN3013', ['divides a term by zero'], factor.range);
        return c !== undefined && !(c === 0 && expr.op === '/') && split(ev, rest, expr.op === '*' ? weight * c : weight / c, out);
      }
      // Neither side is a loss: a model value times (or over) a constant.
      const left = evaluate(expr.left);
      const right = evaluate(expr.right);
      if (left.kind === 'error' || right.kind === 'error') return false;
      if (right.kind === 'number' && left.kind !== 'number' && !(expr.op === '/' && right.value === 0)) {
        out.push({ expr: expr.left, value: left, weight: expr.op === '*' ? weight * right.value : weight / right.value });
        return true;
      }
      if (expr.op === '*' && left.kind === 'number' && right.kind !== 'number') {
        out.push({ expr: expr.right, value: right, weight: weight * left.value });
        return true;
      }
      const why = left.kind === 'number' && right.kind === 'number' ? `has a constant term, which trains nothing` : `combines ${describe(left)} and ${describe(right)}; a term is one model value times constants (compute products in the model)`;
      reporter.report('NN3013', [why], expr.range);
      return false;
    }
    default:
      break;
  }
  if (containsLoss(ev, expr)) {
    reporter.report('NN3013', ['uses a loss function inside another expression; write it as a term of the sum (weight * loss(...))'], expr.range);
    return false;
  }
  out.push({ expr, value: evaluate(expr), weight });
  return true;
}

/** A weight: a constant expression (a number, a `let`, arithmetic of those). */
function constant(ev: Evaluator, expr: Expr): number | undefined {
  if (containsLoss(ev, expr)) {
    ev.ctx.reporter.report('NN3013', ['multiplies two losses; a term is a loss times constants'], expr.range);
    return undefined;
  }
  const value = ev.expr(expr, { base: 'loss', final: null });
  if (value.kind === 'number') return value.value;
  if (value.kind !== 'error') ev.ctx.reporter.report('NN3013', [`weights a term by ${describe(value)}; weights are constants (a number or a let)`], expr.range);
  return undefined;
}

/** A model value added to the loss as it is: a float scalar ([] or every dim 1), such as a KL term. */
function valueTerm(ev: Evaluator, value: Value, expr: Expr): Omit<LossTermSpec & { kind: 'value' }, 'weight'> | null {
  if (value.kind === 'error') return null;
  if (value.kind !== 'tensor') {
    const why = value.kind === 'number' ? `has a constant term (${value.value}), which trains nothing` : `term ${describe(value)} is not a model value`;
    ev.ctx.reporter.report('NN3013', [why], expr.range);
    return null;
  }
  const shape = value.type.shape;
  if (value.type.dtype !== 'f32' || !shape.every((d) => d === 1)) {
    const why = value.type.dtype !== 'f32' ? 'an int tensor' : `shape ${formatShape(shape)}`;
    ev.ctx.reporter.report('NN3013', [`term '${value.name}' must be a float scalar, got ${why}; reduce it to one number first (mean or sum over every axis)`], expr.range, {
      related: [{ message: `'${value.name}' gets its shape ${formatShape(shape)} here`, range: value.origin }],
    });
    return null;
  }
  return { kind: 'value', value: value.node, range: expr.range };
}

/** One loss call, `cross_entropy(logits, label, from_logits: false)`, checked against its tensors. */
function lossTerm(ev: Evaluator, setting: Setting, expr: Expr, graph: Graph): LossSpec | null {
  const reporter = ev.ctx.reporter;
  const called = namedCall(ev, setting, expr, 'loss');
  if (!called || called.args.tensors.length < 2) return null;
  const [pred, target, rowMask] = called.args.tensors as [TensorValue, TensorValue, TensorValue | undefined];
  const kind = called.def.name as LossKind;
  const fromLogits = (called.args.values.from_logits as boolean | undefined) ?? true;
  const p = pred.type;
  const t = target.type;
  const fail = (why: string): null => {
    reporter.report('NN3004', [kind, why], called.range, {
      related: [
        { message: `'${pred.name}' gets its shape ${formatShape(p.shape)} here`, range: pred.origin },
        { message: `'${target.name}' gets its shape ${formatShape(t.shape)} here`, range: target.origin },
      ],
    });
    return null;
  };
  if (p.dtype !== 'f32') return fail(`the prediction '${pred.name}' must be float, got int`);
  let sparse = false;
  if (kind === 'cross_entropy' && t.dtype === 'i32') {
    sparse = true;
    const labels = p.shape.slice(0, -1);
    if (!sameShape(labels, t.shape)) {
      return fail(`int class labels need shape ${formatShape(labels)} (the prediction ${formatShape(p.shape)} without its class axis), got ${formatShape(t.shape)}`);
    }
  } else if (!sameShape(p.shape, t.shape)) {
    const sparseHint = kind === 'cross_entropy' ? ' (for class ids, declare the label input as int)' : '';
    return fail(`prediction and target need equal shapes, got ${formatShape(p.shape)} and ${formatShape(t.shape)}${sparseHint}`);
  } else if (t.dtype !== 'f32') {
    return fail(`the target '${target.name}' must be float, got int`);
  }
  if (graph.nodes[target.node]?.op !== 'input') reporter.report('NN3010', [target.name], called.args.ranges.get('target') ?? called.range);

  const usesLogits = kind === 'cross_entropy' || kind === 'binary_cross_entropy';
  const predRange = called.args.ranges.get('prediction') ?? called.range;
  if (usesLogits && fromLogits && (pred.lastOp === 'softmax' || pred.lastOp === 'sigmoid')) {
    const insertAt = called.call.range.end - 1;
    reporter.report('NN3006', [pred.name, pred.lastOp, kind], predRange, {
      fix: { title: 'Read probabilities (from_logits: false)', edits: [{ range: { start: insertAt, end: insertAt }, newText: ', from_logits: false' }] },
    });
  } else if (kind === 'cross_entropy' && pred.lastOp === 'sigmoid' && (p.shape.at(-1) ?? 1) !== 1) {
    reporter.report('NN3007', [pred.name], predRange);
  }
  if (kind === 'cross_entropy' && pred.lastOp === 'sigmoid' && !fromLogits) reporter.report('NN3007', [pred.name], predRange);
  const delta = typeof called.args.values.delta === 'number' ? called.args.values.delta : 1;
  const smoothing = typeof called.args.values.label_smoothing === 'number' ? called.args.values.label_smoothing : 0;
  const weights = Array.isArray(called.args.values.class_weights) ? (called.args.values.class_weights as number[]) : null;
  if (weights) {
    const classes = kind === 'binary_cross_entropy' ? 2 : p.shape.at(-1);
    if (weights.length !== classes) {
      const expected = kind === 'binary_cross_entropy' ? '2 (for classes 0 and 1)' : typeof classes === 'number' ? `${classes}, one per class of '${pred.name}'` : `one per class, but the class axis of '${pred.name}' is ${String(classes)}`;
      reporter.report('NN3004', [kind, `class_weights has ${weights.length} value${weights.length === 1 ? '' : 's'}; expected ${expected}`], called.args.ranges.get('class_weights') ?? called.range);
      return null;
    }
  }
  if (rowMask && !maskFits(kind, rowMask.type.shape, p.shape)) {
    reporter.report('NN3004', [kind, `the mask needs shape ${maskShapes(kind, p.shape)}, got ${formatShape(rowMask.type.shape)}`], called.args.ranges.get('mask') ?? called.range, {
      related: [
        { message: `'${rowMask.name}' gets its shape ${formatShape(rowMask.type.shape)} here`, range: rowMask.origin },
        { message: `'${pred.name}' gets its shape ${formatShape(p.shape)} here`, range: pred.origin },
      ],
    });
    return null;
  }
  return { kind, pred: pred.node, target: target.node, mask: rowMask?.node ?? null, fromLogits: usesLogits ? fromLogits : false, sparse, delta, smoothing, classWeights: weights, range: called.range };
}

/**
 * The losses over the last axis (cross_entropy, kl_divergence) mask whole rows: the prediction's
 * shape without that axis. The per-element losses take that too (a padded sequence's steps, Keras'
 * mask) or the prediction's own shape (each element).
 */
const ROW_LOSSES: ReadonlySet<LossKind> = new Set(['cross_entropy', 'kl_divergence']);

function maskFits(kind: LossKind, mask: Dim[], pred: Dim[]): boolean {
  const rows = pred.length > 1 && sameShape(mask, pred.slice(0, -1));
  return rows || (!ROW_LOSSES.has(kind) && sameShape(mask, pred));
}

function maskShapes(kind: LossKind, pred: Dim[]): string {
  const rows = `${formatShape(pred.slice(0, -1))} (the prediction ${formatShape(pred)} without its ${ROW_LOSSES.has(kind) ? 'class axis' : 'last axis'})`;
  if (ROW_LOSSES.has(kind)) return rows;
  return pred.length > 1 ? `${rows} or ${formatShape(pred)} (one per element)` : `${formatShape(pred)} (the prediction's)`;
}
