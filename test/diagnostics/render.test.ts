import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../diagnostics/types.js';
import { renderDiagnostic, renderDiagnostics } from '../../diagnostics/render.js';
import { parse } from '../../grammar/index.js';

// The renderer (diagnostics/render.ts), tested with the grammar that
// produces its first users (the syntax diagnostics).

const TEXT = 'model Digits {\n  input image: [batch, 28, 28]\n  h = image |> dense(256, relu)\n}\n';

function diagnostic(start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code: 'NN2003', severity: 'error', message: 'dense expects [batch, features]', range: { start, end }, ...extra };
}

describe('renderDiagnostic', () => {
  it('prints file:line:col, severity, code, message, the line under a line-number gutter and an underline', () => {
    const start = TEXT.indexOf('dense');
    const end = TEXT.indexOf(')', start) + 1;
    expect(renderDiagnostic(diagnostic(start, end), TEXT, 'digits.nnet')).toBe(
      [
        'digits.nnet:3:16: error NN2003: dense expects [batch, features]',
        '  3 |   h = image |> dense(256, relu)',
        '    |                ^~~~~~~~~~~~~~~~',
        '',
      ].join('\n'),
    );
  });

  it('prints one caret for an empty range, also at the end of the file', () => {
    const at = TEXT.indexOf('image |>');
    expect(renderDiagnostic(diagnostic(at, at), TEXT, 'f.nnet').split('\n')[2]).toBe('    |       ^');
    const rendered = renderDiagnostic(diagnostic(TEXT.length, TEXT.length), TEXT, 'f.nnet');
    expect(rendered.split('\n').slice(0, 3)).toEqual(['f.nnet:5:1: error NN2003: dense expects [batch, features]', '  5 |', '    | ^']);
  });

  it('underlines a multi-line range to the end of its first line', () => {
    const start = TEXT.indexOf('{');
    expect(renderDiagnostic(diagnostic(start, TEXT.length), TEXT, 'f.nnet').split('\n').slice(1, 3)).toEqual([
      '  1 | model Digits {',
      '    |              ^',
    ]);
  });

  it('keeps tabs in the padding so the caret lines up', () => {
    const text = '\tlet a = $';
    const rendered = renderDiagnostic(diagnostic(9, 10), text, 'f.nnet').split('\n');
    expect(rendered[2]).toBe('    | \t        ^');
  });

  it('prints related locations as notes and the fix title', () => {
    const inputAt = TEXT.indexOf('input');
    const denseAt = TEXT.indexOf('dense');
    const d = diagnostic(denseAt, denseAt + 5, {
      related: [{ message: 'image has shape [batch, 28, 28]', range: { start: inputAt, end: inputAt + 5 } }],
      fix: { title: 'insert flatten before dense', edits: [] },
    });
    expect(renderDiagnostic(d, TEXT, 'digits.nnet').split('\n').slice(3)).toEqual([
      '  digits.nnet:2:3: note: image has shape [batch, 28, 28]',
      '  fix: insert flatten before dense',
      '',
    ]);
  });

  it('widens the gutter to the line number', () => {
    const text = `${'\n'.repeat(11)}let a = $`;
    expect(renderDiagnostic(diagnostic(19, 20), text, 'f.nnet').split('\n').slice(1, 3)).toEqual(['  12 | let a = $', '     |         ^']);
  });

  it('colours the parts when given a palette, the text staying the same', () => {
    const tag = (name: string) => (text: string) => `<${name}>${text}</${name}>`;
    const paint = { bold: tag('b'), red: tag('r'), yellow: tag('y'), blue: tag('u'), cyan: tag('c'), green: tag('g') };
    const start = TEXT.indexOf('dense');
    const rendered = renderDiagnostic(diagnostic(start, start + 5, { fix: { title: 'insert flatten', edits: [] } }), TEXT, 'd.nnet', paint);
    expect(rendered.split('\n')).toEqual([
      '<b>d.nnet:3:16:</b> <b><r>error NN2003:</r></b> <b>dense expects [batch, features]</b>',
      '  <u>3 |</u>   h = image |> dense(256, relu)',
      '  <u>  |</u>                <b><r>^~~~~</r></b>',
      '  <b><g>fix:</g></b> insert flatten',
      '',
    ]);
    expect(rendered.replace(/<\/?\w>/g, '')).toBe(renderDiagnostic(diagnostic(start, start + 5, { fix: { title: 'insert flatten', edits: [] } }), TEXT, 'd.nnet'));
  });

  it('renders a list in order, each diagnostic ending with a newline', () => {
    const text = 'let a = 1 $\nlet b = @';
    const { diagnostics } = parse(text);
    expect(renderDiagnostics(diagnostics, text, 'x.nnet')).toBe(
      [
        "x.nnet:1:11: error NN1001: unexpected character '$'",
        '  1 | let a = 1 $',
        '    |           ^',
        "x.nnet:2:9: error NN1001: unexpected character '@'",
        '  2 | let b = @',
        '    |         ^',
        '',
      ].join('\n'),
    );
    expect(renderDiagnostics([], text, 'x.nnet')).toBe('');
  });
});
