import { describe, expect, it } from 'vitest';
import { withoutTrailingBlockComments } from '../../../grammar/format/comments.js';
import { formatNnet } from '../../../grammar/format/index.js';

describe('withoutTrailingBlockComments', () => {
  it('drops trailing whitespace and block comments, and nothing else', () => {
    expect(withoutTrailingBlockComments('[ /* a */ /* b */  ')).toBe('[');
    expect(withoutTrailingBlockComments('x /* a */ y /* b */')).toBe('x /* a */ y');
    expect(withoutTrailingBlockComments('model M {')).toBe('model M {');
    expect(withoutTrailingBlockComments('/**/')).toBe('');
  });

  it('stays linear on a line full of comments (a regex here once backtracked for minutes)', () => {
    const line = 'x /* note */ '.repeat(2000);
    expect(withoutTrailingBlockComments(`[ ${line}`)).toBe(`[ ${'x /* note */ '.repeat(1999)}x`);
  });
});

describe('formatting a file dense with block comments', () => {
  it('finishes and is idempotent (found by the layout property test)', async () => {
    const text = [
      'model /* note */ Xor /* note */ { /* note */',
      '  input /* note */ x /* note */ /* note */: [ /* note */ batch /* note */ /* note */, 2 /* note */ ] /* note */',
      '  hidden /* note */ /* note */ = dense /* note */ /* note */( x /* note */ /* note */, 8 /* note */ /* note */, tanh /* note */, ) /* note */',
      '  output /* note */ hidden',
      '}',
      '',
    ].join('\n');
    const once = await formatNnet(text);
    expect(await formatNnet(once)).toBe(once);
    expect(once.match(/note/g)?.length).toBe(text.match(/note/g)?.length);
  });
});
