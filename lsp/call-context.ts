import { BIDIRECTIONAL } from '../compiler/check/bidirectional-sugar.js';

/**
 * Where the cursor sits inside a call, found from the text alone so that it works while the user
 * is typing an incomplete line: the callee, the argument index, a named argument being written,
 * and whether the call is a pipeline stage (its first tensor argument is then implicit).
 */
export interface CallContext {
  callee: string;
  /** Offset of the callee's first character. */
  calleeStart: number;
  /** 0-based index of the argument under the cursor, counting only what is written. */
  argIndex: number;
  /** Names of the named arguments already written (`lr` in `adam(lr: 1e-3, |`). */
  namedArgs: string[];
  /** The name of the named argument whose value is being typed (`activation` in `activation: re|`). */
  currentName?: string;
  isPipeStage: boolean;
}

const IDENT_BEFORE = /([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const WRAPPED_IN_STAGE = new RegExp(`\\|>\\s*${BIDIRECTIONAL}\\s*\\(\\s*$`);

/** Scans back from `offset` to the innermost unclosed `(`; undefined outside any call. */
export function callContextAt(text: string, offset: number): CallContext | undefined {
  let depth = 0;
  let argIndex = 0;
  const argStarts: number[] = [];
  for (let i = offset - 1; i >= 0 && offset - i < 4000; i--) {
    const ch = text[i];
    if (ch === ')' || ch === ']') depth++;
    else if (ch === '[') {
      if (depth === 0) return undefined; // inside a list, not directly in a call
      depth--;
    } else if (ch === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const match = IDENT_BEFORE.exec(text.slice(Math.max(0, i - 64), i));
      if (!match) return undefined;
      const calleeStart = i - match[0].length;
      argStarts.push(i + 1);
      const args = argumentTexts(text, argStarts, offset);
      const current = args[args.length - 1] ?? '';
      const named = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(current);
      const before = text.slice(Math.max(0, calleeStart - 64), calleeStart);
      const context: CallContext = {
        callee: match[1]!,
        calleeStart,
        argIndex,
        namedArgs: args.slice(0, -1).flatMap((a) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(a)?.[1] ?? []),
        // A stage, or the layer a stage's bidirectional(...) wraps (`x |> bidirectional(lstm(64))`): x is implicit in both.
        isPipeStage: /\|>\s*$/.test(before) || WRAPPED_IN_STAGE.test(before),
      };
      if (named) context.currentName = named[1]!;
      return context;
    } else if (ch === ',' && depth === 0) {
      argIndex++;
      argStarts.push(i + 1);
    } else if ((ch === '{' || ch === '}') && depth === 0) {
      return undefined;
    }
  }
  return undefined;
}

/** The text of each argument from the opening paren to the cursor. */
function argumentTexts(text: string, startsReversed: number[], offset: number): string[] {
  const starts = [...startsReversed].reverse();
  return starts.map((start, i) => text.slice(start, i + 1 < starts.length ? starts[i + 1]! - 1 : offset));
}
