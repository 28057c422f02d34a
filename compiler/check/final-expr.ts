import type { Expr } from '../../grammar/ast.js';

/** The expression that produces a value: the last stage of a pipeline, or the expression itself. */
export function finalExpr(expr: Expr): Expr {
  const last = expr.kind === 'Pipe' ? expr.stages[expr.stages.length - 1] : undefined;
  return last ? finalExpr(last) : expr;
}
