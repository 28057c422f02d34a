import type { Decl } from '../../grammar/ast.js';
import type { ParseResult } from '../../grammar/index.js';
import type { TextChange } from '../../grammar/reparse.js';
import type { ReuseModelCheck } from './check-file.js';
import type { ModelCheck } from './model-check.js';
import { remapModelCheck, type OffsetMap } from './remap.js';

/**
 * Which of a document's previous model checks (`checks`, one per model in document order) hold
 * after `change`, moved to the new offsets; undefined when none does.
 *
 * A model's check depends only on its own text and the top-level declarations it uses (it is
 * checked in a context of its own: compiler/check/model-check.ts). So it still holds when the
 * model lies outside the changed text, parsed cleanly before and after, and sits at the same place
 * moved by the change (so its text, hence its syntax tree, is the same); when the top-level names
 * are the same (every model sees them all); no constant was touched (any model may read one); and
 * no block it expands was touched.
 */
export function reusableChecks(before: ParseResult, after: ParseResult, change: TextChange, checks: readonly ModelCheck[]): ReuseModelCheck | undefined {
  const old = before.file.decls;
  const now = after.file.decls;
  if (old.length !== now.length) return undefined;
  const map = offsetMap(change);
  const sameModels: boolean[] = [];
  const touchedBlocks = new Set<string>();
  for (let i = 0; i < old.length; i++) {
    const a = old[i]!;
    const b = now[i]!;
    if (a.kind !== b.kind || a.name.name !== b.name.name || a.name.missing !== b.name.missing) return undefined;
    const same =
      (a.range.end <= change.start || a.range.start >= change.oldEnd) &&
      map(a.range.start) === b.range.start &&
      map(a.range.end) === b.range.end &&
      parsedCleanly(a, before) &&
      parsedCleanly(b, after);
    if (a.kind === 'Model') sameModels.push(same);
    else if (!same && a.kind === 'Block') touchedBlocks.add(a.name.name);
    else if (!same && a.kind === 'Let') return undefined;
  }
  return (_, index) => {
    const check = checks[index];
    // A model depends on a block only by expanding it (directly or through another block), and
    // every expansion is recorded in `usedBlocks`.
    if (!check || !sameModels[index] || check.usedBlocks.some((block) => touchedBlocks.has(block))) return undefined;
    // A check whose ranges all end before the change keeps them: reuse it as it is.
    return change.delta === 0 || check.lastOffset <= change.start ? check : remapModelCheck(check, map);
  };
}

function parsedCleanly(decl: Decl, { diagnostics }: ParseResult): boolean {
  return !diagnostics.some((d) => d.range.start <= decl.range.end && d.range.end >= decl.range.start);
}

/**
 * Offsets before the change stay, offsets from its end move by its length change. Only ranges
 * of declarations outside the change are mapped (see `reusableChecks`), so no offset falls
 * strictly inside it.
 */
function offsetMap({ start, oldEnd, delta }: TextChange): OffsetMap {
  return (offset) => (offset <= start ? offset : offset >= oldEnd ? offset + delta : offset);
}
