import { describe, expect, it } from 'vitest';
import type { Expr } from '../../grammar/ast.js';
import { parse } from '../../grammar/index.js';
import { formatNnet, meaningOf } from '../../grammar/format/index.js';
import { parseClean } from './helpers.js';

/** `x[...]`: indices and slices, how tightly they bind, where a `[` is not an index, and the formatter. */
function valueOf(text: string): Expr {
  const decl = parseClean(`let v = ${text}\n`).decls[0]!;
  if (decl.kind !== 'Let') throw new Error('not a let');
  return decl.value;
}

/** The expression as nested text: `x[:, 1:]` → `(x)[:, 1:]`, slices with their parts. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'Name':
      return e.name;
    case 'Number':
      return e.raw;
    case 'Unary':
      return `-(${show(e.operand)})`;
    case 'Binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'Index':
      return `(${show(e.target)})[${e.items.map((i) => (i.kind === 'Slice' ? `${i.start ? show(i.start) : ''}:${i.stop ? show(i.stop) : ''}${i.step ? `:${show(i.step)}` : ''}` : show(i))).join(', ')}]`;
    case 'Call':
      return `${e.callee.name}(${e.args.map((a) => show(a.value)).join(', ')})`;
    default:
      return e.kind;
  }
}

describe('indexing syntax', () => {
  it('parses indices and slices with every part optional', () => {
    expect(show(valueOf('x[:, 0]'))).toBe('(x)[:, 0]');
    expect(show(valueOf('x[:, 1:]'))).toBe('(x)[:, 1:]');
    expect(show(valueOf('x[::2, -1:, :-1, 1:5:2, ::-1]'))).toBe('(x)[::2, -(1):, :-(1), 1:5:2, ::-(1)]');
    expect(show(valueOf('x[n - 1]'))).toBe('(x)[(n - 1)]');
  });

  it('binds tighter than unary minus and the operators, chains, and follows calls and parentheses', () => {
    expect(show(valueOf('-x[0]'))).toBe('-((x)[0])');
    expect(show(valueOf('a * b[0] + c'))).toBe('((a * (b)[0]) + c)');
    expect(show(valueOf('x[0][1]'))).toBe('((x)[0])[1]');
    expect(show(valueOf('f(x)[:, 0]'))).toBe('(f(x))[:, 0]');
    expect(show(valueOf('(a + b)[0]'))).toBe('((a + b))[0]');
  });

  it('reads a list on the next line as a new value, not as an index', () => {
    const file = parse('model M {\n  input x: [batch, 3]\n  y = x\n  [1, 2]\n}\n');
    expect(file.diagnostics.length).toBeGreaterThan(0);
    const y = file.file.decls[0]!.kind === 'Model' ? file.file.decls[0]!.body.find((s) => s.kind === 'Assign') : undefined;
    expect(y?.kind === 'Assign' && y.value.kind).toBe('Name');
  });

  it('reports an empty index item and an unclosed index', () => {
    expect(parse('let v = x[]\n').diagnostics.map((d) => d.message)).toEqual(['expected an index or a slice (0, -1, 1:, ::2)']);
    expect(parse('let v = x[, 1]\n').diagnostics.map((d) => d.message)).toEqual(['expected an index or a slice (0, -1, 1:, ::2)']);
    expect(parse('let v = x[0\nlet w = 1\n').diagnostics.map((d) => d.code)).toEqual(['NN1011']);
  });

  it('formats indices tightly and keeps the parentheses the tree needs', async () => {
    const text = 'model M {\n  input x: [batch, seq, 4]\n  y = (-x)[ : , 1 : , : : -1 ] + ( x + 1 )[:,0:2]\n  output y\n}\n';
    const once = await formatNnet(text);
    expect(once).toContain('y = (-x)[:, 1:, ::-1] + (x + 1)[:, 0:2]');
    expect(await formatNnet(once)).toBe(once);
    expect(meaningOf(parse(once).file)).toBe(meaningOf(parse(text).file));
  });
});
