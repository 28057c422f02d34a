import { describe, expect, it } from 'vitest';
import type { ModelDecl, ModelStmt } from '../../grammar/ast.js';
import { parse } from '../../grammar/index.js';
import { formatNnet, meaningOf } from '../../grammar/format/index.js';
import { MAX_TUPLE_NAMES } from '../../grammar/limits.js';
import { parseClean, summarize, textAt } from './helpers.js';

/** `a, b = value`: the tuple target of an assignment, its recovery and the formatter. */
function body(text: string): ModelStmt[] {
  return (parseClean(`model M {\n${text}\n}\n`).decls[0] as ModelDecl).body;
}

describe('tuple assignment syntax', () => {
  it('parses two or more names before `=`, with the value as any expression', () => {
    const text = 'model M {\n  mu, logvar = split(h, 2, axis: -1)\n  a, b, c = h |> split([4, 4, 8])\n  y = concat(a, b)\n}\n';
    const stmts = (parseClean(text).decls[0] as ModelDecl).body;
    expect(stmts.map((s) => s.kind)).toEqual(['TupleAssign', 'TupleAssign', 'Assign']);
    const [first, second] = stmts;
    if (first?.kind !== 'TupleAssign' || second?.kind !== 'TupleAssign') throw new Error('not tuples');
    expect(first.names.map((n) => textAt(text, n.range))).toEqual(['mu', 'logvar']);
    expect(textAt(text, first.value.range)).toBe('split(h, 2, axis: -1)');
    expect(textAt(text, first.range)).toBe('mu, logvar = split(h, 2, axis: -1)');
    expect(second.names.map((n) => n.name)).toEqual(['a', 'b', 'c']);
    expect(second.value.kind).toBe('Pipe');
  });

  it('keeps a comma-separated argument list a list of values, not a target', () => {
    const [stmt] = body('  y = concat(a, b, c)');
    expect(stmt?.kind === 'Assign' && stmt.value.kind).toBe('Call');
  });

  it('is a statement in a block body too', () => {
    const file = parseClean('block gate(x) {\n  a, b = split(x, 2)\n  return a * sigmoid(b)\n}\n');
    const block = file.decls[0]!;
    expect(block.kind === 'Block' && block.body.map((s) => s.kind)).toEqual(['TupleAssign']);
  });

  it('recovers from a missing name, and never reads the next statement\'s names as a value', () => {
    const missing = 'model M {\n  a, = split(h, 2)\n  y = a\n}\n';
    const parsed = parse(missing);
    expect(summarize(missing, parsed.diagnostics)).toEqual(["NN1010@2:6 expected a name after ','"]);
    const stmts = (parsed.file.decls[0] as ModelDecl).body;
    expect(stmts.map((s) => s.kind)).toEqual(['TupleAssign', 'Assign']);
    const tuple = stmts[0]!;
    expect(tuple.kind === 'TupleAssign' && tuple.names.map((n) => n.missing === true)).toEqual([false, true]);

    const noValue = 'model M {\n  q =\n  a, b = split(h, 2)\n}\n';
    const cut = parse(noValue);
    expect(cut.diagnostics.length).toBe(1);
    expect((cut.file.decls[0] as ModelDecl).body.map((s) => s.kind)).toEqual(['Assign', 'TupleAssign']);
  });

  it(`takes up to ${MAX_TUPLE_NAMES} names (the parser looks that far for the \`=\`, so a long list of names stays linear)`, () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`).join(', ');
    const [most] = body(`  ${names(MAX_TUPLE_NAMES)} = split(h, ${MAX_TUPLE_NAMES})`);
    expect(most?.kind === 'TupleAssign' && most.names.length).toBe(MAX_TUPLE_NAMES);
    expect(parse(`model M {\n  ${names(MAX_TUPLE_NAMES + 1)} = split(h, 2)\n}\n`).diagnostics.length).toBeGreaterThan(0);
  });

  it('formats the names with one space after each comma, stably and without changing the meaning', async () => {
    const text = 'model M {\n  input h: [batch, 8]\n  mu ,logvar=split( h,2 , axis : -1 )\n  a,_  =  h |> split([2, 6])\n  output y = mu + logvar\n}\n';
    const once = await formatNnet(text);
    expect(once).toContain('  mu, logvar = split(h, 2, axis: -1)\n  a, _ = h |> split([2, 6])\n');
    expect(await formatNnet(once)).toBe(once);
    expect(meaningOf(parse(once).file)).toBe(meaningOf(parse(text).file));
  });
});
