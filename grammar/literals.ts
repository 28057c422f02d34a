import type { DiagnosticCall } from '../diagnostics/table.js';

/**
 * Values of number and string literals, with the problems found while reading them. The lexer
 * accepts slightly wider forms than the language (`1e`, `"\q"`) so these can be reported with a
 * precise message instead of as stray characters.
 */

export type LiteralProblem = DiagnosticCall & {
  /** Offsets relative to the start of the literal. */
  start: number;
  end: number;
}

export interface NumberValue {
  value: number;
  problem?: LiteralProblem;
}

export function readNumber(raw: string): NumberValue {
  if (/[eE][+-]?$/.test(raw)) {
    const mantissa = Number(raw.replace(/[eE][+-]?$/, ''));
    return { value: mantissa, problem: { code: 'NN1005', args: [raw], start: 0, end: raw.length } };
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    return { value: Number.MAX_VALUE, problem: { code: 'NN1006', args: [raw], start: 0, end: raw.length } };
  }
  return { value };
}

export interface StringValue {
  value: string;
  problems: LiteralProblem[];
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };

/** Reads a string token's image (quotes included; the closing quote may be missing). */
export function readString(image: string): StringValue {
  const terminated = image.length >= 2 && image.endsWith('"') && !endsWithEscapedQuote(image);
  const body = image.slice(1, terminated ? -1 : undefined);
  const problems: LiteralProblem[] = [];
  let value = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = body[i + 1];
    const replacement = next === undefined ? undefined : ESCAPES[next];
    if (replacement === undefined) {
      const sequence = next === undefined ? '\\' : `\\${next}`;
      problems.push({ code: 'NN1004', args: [`'${sequence}'`], start: i + 1, end: i + 1 + sequence.length });
    } else {
      value += replacement;
    }
    i++;
  }
  return { value, problems };
}

/** `"abc\"` is unterminated: its final quote is escaped. Counts the backslashes before it. */
function endsWithEscapedQuote(image: string): boolean {
  let backslashes = 0;
  for (let i = image.length - 2; i >= 1 && image[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}
