import { expect } from 'vitest';
import type { FileNode, SourceRange } from '../../grammar/ast.js';
import { parse } from '../../grammar/index.js';

/** Parses text that must be free of syntax errors. */
export function parseClean(text: string): FileNode {
  const { file, diagnostics } = parse(text);
  expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return file;
}

/** A deep copy without source ranges, to compare tree shapes; ranges are checked separately. */
export function withoutRanges<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'range' || key === 'keyword' ? undefined : v))) as T;
}

/** The source text a range covers. */
export function textAt(text: string, range: SourceRange): string {
  return text.slice(range.start, range.end);
}

/** `code@line:col message` for each diagnostic, a compact form for assertions. */
export function summarize(text: string, diagnostics: readonly { code: string; message: string; range: SourceRange }[]): string[] {
  return diagnostics.map((d) => {
    const before = text.slice(0, d.range.start);
    const line = before.split('\n').length;
    const column = d.range.start - (before.lastIndexOf('\n') + 1) + 1;
    return `${d.code}@${line}:${column} ${d.message}`;
  });
}
