import { describe, expect, it } from 'vitest';
import type { CallExpr, LetDecl, ModelDecl, AssignStmt } from '../../grammar/ast.js';
import { parse } from '../../grammar/index.js';
import { MAX_BRACKET_DEPTH, MAX_EXPRESSION_DEPTH, MAX_FILE_CHARACTERS, MAX_SYNTAX_DIAGNOSTICS } from '../../grammar/limits.js';

function codes(text: string): string[] {
  return parse(text).diagnostics.map((d) => d.code);
}

describe('limits', () => {
  it('refuses a file over the size limit with one error, without lexing it', () => {
    const line = '  h = dense(x, 4, relu)\n';
    const text = `model A {\n${line.repeat(Math.ceil((17 * 1024 * 1024) / line.length))}}`;
    expect(text.length).toBeGreaterThan(MAX_FILE_CHARACTERS);
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'NN4001', range: { start: 0, end: 0 } });
    expect(diagnostics[0]!.message).toMatch(/^file is too large to check \(17\.0 MiB; the limit is 16\.0 MiB\)$/);
    expect(file.decls).toEqual([]);
  });

  it('reports 10,000 nested lists as one error, without overflowing the stack', () => {
    const text = `let a = ${'['.repeat(10_000)}1${']'.repeat(10_000)}`;
    const { diagnostics } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['NN4002']);
    expect(diagnostics[0]!.message).toBe(`nesting is too deep: more than ${MAX_BRACKET_DEPTH} levels of brackets`);
    expect(diagnostics[0]!.range.start).toBe('let a = '.length + MAX_BRACKET_DEPTH);
  });

  it('reports 10,000 nested calls, and unclosed brackets, the same way', () => {
    expect(codes(`let a = ${'f('.repeat(10_000)}x${')'.repeat(10_000)}`)).toEqual(['NN4002']);
    expect(codes(`model A { h = ${'('.repeat(10_000)}`)).toEqual(['NN4002']);
  });

  it('parses nesting right at the bracket limit', () => {
    const depth = MAX_BRACKET_DEPTH - 2; // the model's braces and the call's own parentheses count too
    const text = `model A { h = ${'f('.repeat(depth)}x${')'.repeat(depth)} }`;
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    let call = ((file.decls[0] as ModelDecl).body[0] as AssignStmt).value as CallExpr;
    let levels = 1;
    while (call.args[0]?.value.kind === 'Call') {
      call = call.args[0].value;
      levels++;
    }
    expect(levels).toBe(depth);
  });

  it('cuts operator chains deeper than the expression limit', () => {
    const text = `let a = 1${' + 1'.repeat(10_000)}\nlet b = ${'-'.repeat(10_000)}1\nlet c = 2`;
    const { file, diagnostics } = parse(text);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['NN4002', `nesting is too deep: more than ${MAX_EXPRESSION_DEPTH} levels of nested expressions`],
    ]);
    // The chain is cut, so any recursive walk of the AST stays shallow; later declarations survive.
    expect(maxDepth(file)).toBeLessThanOrEqual(MAX_EXPRESSION_DEPTH + 10);
    expect((file.decls[2] as LetDecl).name.name).toBe('c');
  });

  it('keeps long flat constructs: 10,000 pipeline stages and a 10,000-number list', () => {
    expect(codes(`let a = x${' |> f'.repeat(10_000)}`)).toEqual([]);
    expect(codes(`let w = [${Array.from({ length: 10_000 }, (_, i) => (i % 2 ? -i : i) / 7).join(', ')}]`)).toEqual([]);
  });

  it('parses huge numbers as numbers (the checker judges them)', () => {
    const { file, diagnostics } = parse('let units = 1e15');
    expect(diagnostics).toEqual([]);
    expect((file.decls[0] as LetDecl).value).toMatchObject({ kind: 'Number', value: 1e15 });
  });

  it('stops reporting after too many errors, and survives token soup', () => {
    const vocabulary = ['(', ')', '[', ']', '{', '}', ',', 'model', 'x', '=', '1', '|>', 'train', ':', '"s"', 'input', 'block', 'return', '$'];
    const soup = Array.from({ length: 50_000 }, (_, i) => vocabulary[(i * 7919) % vocabulary.length]).join(' ');
    const { diagnostics } = parse(soup);
    expect(diagnostics).toHaveLength(MAX_SYNTAX_DIAGNOSTICS + 1);
    expect(diagnostics.at(-1)!.code).toBe('NN4003');
    for (const d of diagnostics) {
      expect(d.range.start).toBeGreaterThanOrEqual(0);
      expect(d.range.end).toBeLessThanOrEqual(soup.length);
    }
  });

  it('keeps working after a pathological input', () => {
    parse(`let a = ${'f('.repeat(10_000)}`);
    expect(codes('model A { input x: [3] }')).toEqual([]);
  });
});

/** Depth of the AST, measured without recursion. */
function maxDepth(root: object): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    deepest = Math.max(deepest, depth);
    for (const value of Object.values(node)) {
      if (typeof value === 'object' && value !== null) stack.push([value, depth + 1]);
    }
  }
  return deepest;
}
