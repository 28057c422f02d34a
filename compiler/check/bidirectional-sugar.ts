import type { Arg, CallExpr, Expr } from '../../grammar/ast.js';
import { MERGE_MODES, RECURRENT_LAYERS } from '../ops/recurrent.js';
import type { Reporter } from './reporter.js';

/**
 * `bidirectional(lstm(x, 64), merge: sum)` is sugar for `lstm(x, 64, bidirectional: sum)`: Keras'
 * wrapper spelling of the recurrent layers' `bidirectional:` argument (merge default concat, as
 * Keras' merge_mode). The call is rewritten before it is evaluated, so the layer is checked, named,
 * lowered and exported exactly as the argument form; as a pipeline stage,
 * `x |> bidirectional(lstm(64))` is `x |> lstm(64, bidirectional: concat)`. Anything else as the
 * wrapped call (another op, a value, an inner `bidirectional:`) is NN2008 at that argument.
 */
export const BIDIRECTIONAL = 'bidirectional';

/**
 * The wrapper's one description, which the checker reads (what it wraps) and the editor shows
 * (lsp/op-catalog.ts: hover, completion, signature help).
 */
export const BIDIRECTIONAL_WRAPPER = {
  name: BIDIRECTIONAL,
  doc: "Keras' `Bidirectional` wrapper: `bidirectional(lstm(x, 64), merge: sum)` is `lstm(x, 64, bidirectional: sum)`, the recurrent layer run forwards and backwards with its own `_reverse` weights, the two merged. In a pipeline, `x |> bidirectional(lstm(64))`.",
  shapeRule: "the wrapped layer's: [batch, seq, in] → [batch, units] or, with return_sequences, [batch, seq, units]; 2·units with merge: concat",
  layer: { name: 'layer', doc: 'The recurrent call it wraps: rnn(...), lstm(...) or gru(...), with every argument but bidirectional:.', calls: RECURRENT_LAYERS },
  merge: { name: 'merge', default: 'concat', choices: MERGE_MODES, doc: "How the two directions merge (Keras' merge_mode): concat (2·units features), sum, mul or ave." },
} as const;

const RECURRENT: ReadonlySet<string> = new Set(BIDIRECTIONAL_WRAPPER.layer.calls);

/** The call `bidirectional(...)` rewritten to the recurrent call it wraps, or null (reported) when it wraps none. */
export function unwrapBidirectional(call: CallExpr, reporter: Reporter): CallExpr | null {
  const positional = call.args.filter((a) => !a.name);
  const named = call.args.filter((a) => a.name);
  const inner = positional[0]?.value;
  if (positional.length !== 1 || !inner || inner.kind !== 'Call' || !RECURRENT.has(inner.callee.name)) {
    const what = positional.length === 1 && inner ? describeExpr(inner) : `${positional.length} positional arguments`;
    reporter.report('NN2008', ['layer', BIDIRECTIONAL, 'one call of rnn, lstm or gru (bidirectional(lstm(x, 64), merge: concat))', what], positional[0]?.range ?? call.range);
    return null;
  }
  const unknown = named.find((a) => a.name!.name !== BIDIRECTIONAL_WRAPPER.merge.name);
  if (unknown) {
    reporter.report('NN2007', [BIDIRECTIONAL, unknown.name!.name, ' (it takes the recurrent call and merge: concat | sum | mul | ave)'], unknown.name!.range);
    return null;
  }
  const already = inner.args.find((a) => a.name?.name === BIDIRECTIONAL);
  if (already) {
    reporter.report('NN2008', [BIDIRECTIONAL, inner.callee.name, 'no bidirectional: argument inside bidirectional(...)', 'one'], already.range);
    return null;
  }
  const merge = named[0];
  const mergeValue: Expr = merge?.value ?? { kind: 'Name', name: 'concat', range: { start: call.range.end, end: call.range.end } };
  const arg: Arg = { kind: 'Arg', name: { kind: 'Ident', name: BIDIRECTIONAL, range: merge?.name!.range ?? mergeValue.range }, value: mergeValue, range: merge?.range ?? mergeValue.range };
  return { kind: 'Call', callee: inner.callee, args: [...inner.args, arg], range: call.range };
}

function describeExpr(expr: Expr): string {
  if (expr.kind === 'Call') return `a call of ${expr.callee.name}`;
  if (expr.kind === 'Name') return `'${expr.name}'`;
  return 'an expression';
}
