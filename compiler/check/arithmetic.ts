import type { BinaryExpr, Expr, SourceRange } from '../../grammar/ast.js';
import { findOp } from '../ops/registry.js';
import { broadcast, formatShape, sameShape } from '../shapes/dims.js';
import type { UnaryOpName } from '../../runtime/plan/math-ops.js';
import { applyOp } from './apply-op.js';
import type { Evaluator, Naming } from './evaluate.js';
import { describe, ERROR, type TensorValue, type Value } from './values.js';

/**
 * The operators `+ - * /` and unary minus. On two numbers they fold (constant arithmetic in shapes
 * and arguments); between two tensors they are the ops add, subtract, multiply and divide
 * (broadcasting, checked and reported like any op); between a tensor and a number they become one
 * `unary` node: `affine` (y = a·x + b: `x * 0.5`, `1 - x`, `-x`) or `reciprocal` (y = a / x: `1 / x`).
 */

type Operator = BinaryExpr['op'];

const TENSOR_OPS: Record<Operator, string> = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide' };

/** The names a scalar form shows in summaries and layer names (`h/scale`). */
const SCALAR_NAMES: Record<Operator, string> = { '+': 'shift', '-': 'shift', '*': 'scale', '/': 'scale' };

interface Operand {
  value: Value;
  range: SourceRange;
}

export function binaryOperator(ev: Evaluator, op: Operator, left: Operand, right: Operand, expr: Expr, naming: Naming): Value {
  const [a, b] = [left.value, right.value];
  if (a.kind === 'number' && b.kind === 'number') return foldNumbers(ev, op, a.value, b.value, expr.range);
  if (a.kind === 'error' || b.kind === 'error') return ERROR;
  if (a.kind === 'tensor' && b.kind === 'tensor') {
    if (missingTrailingAxis(ev, op, { ...left, value: a }, { ...right, value: b }, expr)) return ERROR;
    return applyOp(ev, findOp(TENSOR_OPS[op])!, [{ value: a, range: left.range }, { value: b, range: right.range }], expr, naming);
  }
  if (a.kind === 'tensor' && b.kind === 'number') {
    if (op === '/' && b.value === 0) {
      ev.ctx.reporter.report('NN2017', [], expr.range);
      return ERROR;
    }
    const [scale, shift] = { '+': [1, b.value], '-': [1, -b.value], '*': [b.value, 0], '/': [1 / b.value, 0] }[op];
    return scalarNode(ev, a, 'affine', { a: scale!, b: shift! }, SCALAR_NAMES[op], expr, naming);
  }
  if (a.kind === 'number' && b.kind === 'tensor') {
    if (op === '/') return scalarNode(ev, b, 'reciprocal', { a: a.value, b: 0 }, 'reciprocal', expr, naming);
    const [scale, shift] = { '+': [1, a.value], '-': [-1, a.value], '*': [a.value, 0] }[op];
    return scalarNode(ev, b, 'affine', { a: scale!, b: shift! }, SCALAR_NAMES[op], expr, naming);
  }
  return notArithmetic(ev, a.kind === 'number' || a.kind === 'tensor' ? right : left);
}

interface TensorOperand {
  value: TensorValue;
  range: SourceRange;
}

/**
 * The common mismatch of a reduction without keepdims (`x - sum(x, axis: -1)`: [batch, seq, 4] and
 * [batch, seq]): one operand is the other's shape without its last axis, so it aligns with the wrong
 * axes. Reported like any broadcast error, with the fix of giving it the axis back (expand_dims).
 */
function missingTrailingAxis(ev: Evaluator, op: Operator, left: TensorOperand, right: TensorOperand, expr: Expr): boolean {
  const [a, b] = [left.value.type.shape, right.value.type.shape];
  if (broadcast(a, b)) return false;
  const short = b.length + 1 === a.length && sameShape(b, a.slice(0, -1)) ? right : a.length + 1 === b.length && sameShape(a, b.slice(0, -1)) ? left : undefined;
  if (!short) return false;
  const edits = [
    { range: { start: short.range.start, end: short.range.start }, newText: 'expand_dims(' },
    { range: { start: short.range.end, end: short.range.end }, newText: ', -1)' },
  ];
  const fix = { title: `Give '${short.value.name}' its last axis back with expand_dims(..., -1)`, edits };
  const related = [{ message: `'${right.value.name}' gets its shape ${formatShape(b)} here`, range: right.value.origin }];
  ev.ctx.reporter.report('NN2003', [TENSOR_OPS[op], `shapes that broadcast with ${formatShape(a)}`, formatShape(b)], expr.range, { related, fix });
  return true;
}

/** `-x`: a number negates, a tensor becomes affine(−1, 0). */
export function negate(ev: Evaluator, operand: Operand, expr: Expr, naming: Naming): Value {
  const value = operand.value;
  if (value.kind === 'number') return { kind: 'number', value: -value.value };
  if (value.kind === 'tensor') return scalarNode(ev, value, 'affine', { a: -1, b: 0 }, 'negate', expr, naming);
  return notArithmetic(ev, operand);
}

function foldNumbers(ev: Evaluator, op: Operator, a: number, b: number, range: SourceRange): Value {
  switch (op) {
    case '+':
      return { kind: 'number', value: a + b };
    case '-':
      return { kind: 'number', value: a - b };
    case '*':
      return { kind: 'number', value: a * b };
    case '/':
      if (b === 0) {
        ev.ctx.reporter.report('NN2017', [], range);
        return ERROR;
      }
      return { kind: 'number', value: a / b };
  }
}

function notArithmetic(ev: Evaluator, operand: Operand): Value {
  const value = operand.value;
  if (value.kind === 'error') return ERROR;
  if (value.kind === 'word') return ev.undefinedName(value.name, value.range);
  ev.ctx.reporter.report('NN2016', ['a number or a tensor in arithmetic', describe(value)], operand.range);
  return ERROR;
}

/** One `unary` layer node for a tensor and a number; an int tensor is refused (the kernel is float). */
function scalarNode(ev: Evaluator, x: TensorValue, op: UnaryOpName, numbers: { a: number; b: number }, name: string, site: Expr, naming: Naming): Value {
  if (x.type.dtype !== 'f32') {
    const related = [{ message: `'${x.name}' gets its type int ${formatShape(x.type.shape)} here`, range: x.origin }];
    ev.ctx.reporter.report('NN2003', ['arithmetic', 'a float tensor', `int ${formatShape(x.type.shape)}`], site.range, { related });
    return ERROR;
  }
  const { builder } = ev;
  const layer = builder.uniqueLayer(site === naming.final ? (naming.finalName ?? naming.base) : `${naming.base}/${name}`);
  const type = x.type;
  const node = builder.addLayer('unary', [x.node], { op, ...numbers }, type, { range: site.range, layer, op: name }, 0);
  ev.ctx.values.add({ range: site.range, type, op: name, inputTypes: [x.type], params: 0 });
  return { kind: 'tensor', node, type, origin: site.range, name: layer, lastOp: name };
}
