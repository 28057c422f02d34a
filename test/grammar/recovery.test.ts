import { describe, expect, it } from 'vitest';
import type { AssignStmt, BlockDecl, CallExpr, InputDecl, ModelDecl } from '../../grammar/ast.js';
import { parse } from '../../grammar/index.js';
import { summarize, textAt } from './helpers.js';

function errors(text: string): string[] {
  return summarize(text, parse(text).diagnostics);
}

describe('syntax errors', () => {
  it('reports every error in a file, each once, in document order', () => {
    const text = `model A {
  input x: [batch, 3
  h = dense(x, 4
  y = relu(h)
  z =
  output y
}
foo bar
model B { input q [3] }`;
    expect(errors(text)).toEqual([
      "NN1011@2:21 expected ']' to close the shape opened at 2:12",
      "NN1011@3:17 expected ')' to close the call to dense opened at 3:12",
      "NN1012@5:6 expected a value after '='",
      "NN1013@8:1 unexpected 'foo' at the top level: expected 'model', 'block', 'gan' or 'let'",
      "NN1010@9:19 expected ':' after 'q'",
    ]);
  });

  it('never reports two diagnostics at the same position', () => {
    const samples = ['model A { h = dense(x,, ,) }', 'model { ( ] }', 'block b( { return }', 'let = = =', '}}}}', 'model A { train { 1 2 3 } }'];
    for (const text of samples) {
      const starts = parse(text).diagnostics.map((d) => d.range.start);
      expect(new Set(starts).size, text).toBe(starts.length);
      expect(starts.length, text).toBeGreaterThan(0);
    }
  });

  it('keeps parsing the statements after an error', () => {
    const text = 'model A {\n  h = dense(x, 4\n  y = relu(h)\n  output y\n}';
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toHaveLength(1);
    const model = file.decls[0] as ModelDecl;
    expect(model.body.map((s) => s.kind)).toEqual(['Assign', 'Assign', 'Output']);
    // The broken call keeps what was written, up to the error.
    const broken = (model.body[0] as AssignStmt).value as CallExpr;
    expect(broken.kind).toBe('Call');
    expect(broken.args).toHaveLength(2);
    expect(textAt(text, (model.body[1] as AssignStmt).value.range)).toBe('relu(h)');
  });

  it('closes a model at the next declaration when its } is missing', () => {
    const text = 'model A {\n  input x: [3]\nmodel B {\n  output y\n}';
    const { file, diagnostics } = parse(text);
    expect(summarize(text, diagnostics)).toEqual(["NN1011@2:15 expected '}' to close model A opened at 1:9"]);
    expect(file.decls.map((d) => d.kind === 'Model' && d.name.name)).toEqual(['A', 'B']);
  });

  it('reports a missing } at the end of the file after the last token', () => {
    const text = 'model A {\n  train {\n    epochs 3\n';
    expect(errors(text)).toEqual([
      "NN1011@3:13 expected '}' to close the train section opened at 2:9",
    ]);
  });

  it('fills what recovery invented with missing identifiers and error expressions', () => {
    const text = 'model { input : [3]  h = }';
    const { file } = parse(text);
    const model = file.decls[0] as ModelDecl;
    expect(model.name).toMatchObject({ kind: 'Ident', name: '', missing: true });
    expect(model.name.range.start).toBe(model.name.range.end);
    const input = model.body[0] as InputDecl;
    expect(input.name).toMatchObject({ name: '', missing: true });
    expect(input.shape.dims).toHaveLength(1);
    const assign = model.body[1] as AssignStmt;
    expect(assign.value.kind).toBe('Error');
  });

  it('explains stray tokens by their context', () => {
    expect(errors('model A { train { epochs = 10 } }')).toEqual([
      "NN1013@1:26 unexpected '=' in the train section: a setting is a name and its values, as in 'epochs 10'",
    ]);
    expect(errors('model A { ] input x: [3] }')).toEqual([
      "NN1013@1:11 unexpected ']' in model A: expected 'input', 'output', 'let', 'train' or an assignment 'name = value'",
    ]);
    expect(errors('gan G { 42 }')).toEqual([
      "NN1013@1:9 unexpected '42' in gan G: expected a setting such as 'generator G', or a train section",
    ]);
  });

  it('reports one error for a run of stray tokens', () => {
    const text = 'h = dense(x, 4)\nmodel A { input x: [3] }';
    const diagnostics = parse(text).diagnostics;
    expect(summarize(text, diagnostics)).toEqual([
      "NN1013@1:1 unexpected 'h' at the top level: expected 'model', 'block', 'gan' or 'let'",
    ]);
    expect(textAt(text, diagnostics[0]!.range)).toBe('h = dense(x, 4)');
  });

  it('suggests a comma when a value follows where a closing bracket was expected', () => {
    expect(errors('let v = dense(x 4)')).toEqual([
      "NN1010@1:17 expected ',' before '4', or ')' to close the call to dense opened at 1:14",
    ]);
    expect(errors('let v = [1 2]')).toEqual(["NN1010@1:12 expected ',' before '2', or ']' to close the list opened at 1:9"]);
  });

  it('checks argument order and repeated names', () => {
    expect(errors('let v = dense(x, units: 3, relu, units: 4)')).toEqual([
      'NN1014@1:28 positional argument after a named argument',
      "NN1015@1:34 duplicate named argument 'units'",
    ]);
  });

  it('checks input dtypes', () => {
    expect(errors('model A { input x: [3] float }')).toEqual([
      "NN1016@1:24 unknown dtype 'float': an input is 'f32' (the default) or 'int'",
    ]);
    expect(errors('model A { input x: [3] f32  input y: [3] int }')).toEqual([]);
  });

  it('requires a block to end with its return', () => {
    expect(errors('block b(x) { h = relu(x) }')).toEqual(["NN1017@1:7 block 'b' has no 'return' statement"]);
    const text = 'block b(x) { return x  h = relu(x) }';
    expect(errors(text)).toEqual(["NN1018@1:24 statements after 'return' in block 'b'"]);
    const block = parse(text).file.decls[0] as BlockDecl;
    expect(block.result?.kind).toBe('Return');
    expect(block.body).toHaveLength(1);
  });

  it('reports a pipe with no stage after it', () => {
    const text = 'model A { y = x |> }';
    expect(errors(text)).toEqual(["NN1012@1:20 expected an op name or call after '|>'"]);
    const next = 'model A {\n  y = x |>\n  z = relu(y)\n}';
    expect(errors(next)).toEqual(["NN1012@2:11 expected an op name or call after '|>'"]);
  });

  it('reports a second train section of a gan', () => {
    expect(errors('gan G { train { } train { } }')).toEqual([
      "NN1013@1:19 unexpected 'train' in gan G: a gan has one train section",
    ]);
  });
});

describe('lexical errors', () => {
  it('reports unexpected characters once per run, with a hint for a lone |', () => {
    expect(errors('let a = 1 $ let b = 2')).toEqual(["NN1001@1:11 unexpected character '$'"]);
    expect(errors('let a = 1 @@@')).toEqual(["NN1001@1:11 unexpected character '@' (and 2 more)"]);
    expect(errors('let a = x | f')).toEqual(["NN1001@1:11 unexpected character '|'; a pipe is written '|>'"]);
  });

  it('does not add a parse error caused by a rejected character', () => {
    expect(errors('model A { h = dense(x $ 4) }')).toEqual(["NN1001@1:23 unexpected character '$'"]);
  });

  it('reports unterminated strings and comments, and keeps going', () => {
    expect(errors('let path = "weights.npy\nlet b = 2')).toEqual([
      `NN1002@1:12 unterminated string: add a closing '"' before the end of the line`,
    ]);
    const { file, diagnostics } = parse('let a = 1 /* open');
    expect(diagnostics.map((d) => d.code)).toEqual(['NN1003']);
    expect(file.comments[0]?.text).toBe('/* open');
  });

  it('reports malformed numbers, out-of-range numbers and bad escapes', () => {
    expect(errors('let a = 1e')).toEqual(["NN1005@1:9 malformed number '1e': the exponent needs digits, as in '1e-3'"]);
    expect(errors('let a = 1e999')).toEqual(["NN1006@1:9 number '1e999' is too large to represent"]);
    expect(errors('let a = "a\\qb"')).toEqual(["NN1004@1:11 unknown escape sequence '\\q' in a string"]);
  });
});
