import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { Expr } from '../../grammar/ast.js';
import type { ValueInfo } from '../../compiler/api-types.js';
import { valuesFor, walkRange } from '../ast-query.js';
import { describeType } from '../describe-type.js';
import { overlaps, toSourceRange } from '../positions.js';
import { describeFlow } from './hover.js';
import type { ProviderContext } from './context.js';

/**
 * `→ [batch, 128]` after every layer call and every pipeline stage: the shape the compiler
 * inferred, with symbolic dims kept symbolic. Inside a block used with different arguments, the
 * shapes of every expansion are shown, separated by `|`.
 */
export function inlayHints(ctx: ProviderContext, range: Range): InlayHint[] {
  const wanted = toSourceRange(ctx.document, range);
  const hints: InlayHint[] = [];
  const seen = new Set<number>();
  const add = (expr: Expr): void => {
    if (seen.has(expr.range.end) || !overlaps(expr.range, { start: wanted.start, end: wanted.end + 1 })) return;
    const values = valuesFor(ctx.result, expr.range);
    if (values.length === 0) return;
    seen.add(expr.range.end);
    hints.push(hintAt(ctx, expr.range.end, values));
  };
  walkRange(ctx.result.file, wanted, (node) => {
    if (node.kind === 'Pipe') {
      node.stages.slice(1).forEach(add);
    } else if (node.kind === 'Assign' || node.kind === 'Return' || (node.kind === 'Output' && node.value)) {
      const value = node.value!;
      if (value.kind !== 'Pipe') add(value);
    } else if (node.kind === 'TupleAssign') {
      // `mu → [batch, 16], logvar → [batch, 16] = split(h, 2)`: each part's shape after its name.
      for (const name of node.names) add({ kind: 'Name', name: name.name, range: name.range });
    }
  });
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

function hintAt(ctx: ProviderContext, offset: number, values: ValueInfo[]): InlayHint {
  const shapes = [...new Set(values.map((v) => describeType(v.type)))];
  const flows = [...new Set(values.map(describeFlow))];
  return {
    position: ctx.document.positionAt(offset),
    label: `→ ${shapes.join(' | ')}`,
    kind: InlayHintKind.Type,
    paddingLeft: true,
    tooltip: flows.join('\n'),
  };
}
