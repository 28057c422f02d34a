import { FoldingRangeKind, type FoldingRange, type Position, type SelectionRange } from 'vscode-languageserver';
import type { AstNode } from '../../grammar/ast.js';
import { nodePathAt, walk } from '../ast-query.js';
import { toOffset, toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

const FOLDABLE = new Set<AstNode['kind']>(['Model', 'Block', 'Gan', 'Train', 'Call', 'List', 'Pipe']);

/** Folding: declarations, train sections, multi-line calls, lists and pipelines, comment runs. */
export function foldingRanges(ctx: ProviderContext): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const seenStart = new Set<number>();
  walk(ctx.result.file, (node) => {
    if (!FOLDABLE.has(node.kind)) return;
    const start = ctx.document.positionAt(node.range.start).line;
    const end = ctx.document.positionAt(node.range.end).line;
    // The closing line stays visible (`}` or `)`), as editors expect.
    if (end - 1 > start && !seenStart.has(start)) {
      seenStart.add(start);
      ranges.push({ startLine: start, endLine: end - 1 });
    }
  });
  ranges.push(...commentFolds(ctx));
  return ranges;
}

function commentFolds(ctx: ProviderContext): FoldingRange[] {
  const out: FoldingRange[] = [];
  let run: { start: number; end: number } | undefined;
  const flush = (): void => {
    if (run && run.end > run.start) out.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const comment of ctx.result.file.comments) {
    const start = ctx.document.positionAt(comment.range.start).line;
    const end = ctx.document.positionAt(comment.range.end).line;
    if (comment.style === 'block') {
      flush();
      run = { start, end };
      flush();
    } else if (run && start === run.end + 1) {
      run.end = end;
    } else {
      flush();
      run = { start, end };
    }
  }
  flush();
  return out;
}

/** Selection ranges: from the name under the cursor out through its expression, statement and declaration. */
export function selectionRanges(ctx: ProviderContext, positions: Position[]): SelectionRange[] {
  return positions.map((position) => {
    const path = nodePathAt(ctx.result.file, toOffset(ctx.document, position));
    let parent: SelectionRange | undefined;
    let last: AstNode | undefined;
    for (const node of path) {
      if (last && last.range.start === node.range.start && last.range.end === node.range.end) continue;
      parent = parent ? { range: toRange(ctx.document, node.range), parent } : { range: toRange(ctx.document, node.range) };
      last = node;
    }
    return parent ?? { range: { start: position, end: position } };
  });
}
