import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lex } from '../../../grammar/lex.js';
import { parse } from '../../../grammar/index.js';
import { formatNnet, meaningOf } from '../../../grammar/format/index.js';
import { sampleTexts } from '../../lsp/corpus.js';

/**
 * The formatter must not care how a file was laid out: for any re-spacing of the same tokens and
 * any comments dropped between them, the output is idempotent, means the same, and keeps every
 * comment. Newlines go only where the grammar allows them everywhere: where the file had one, or
 * after an opening bracket, a comma, `=`, `:` or `|>` (a setting's first value and an input's dtype
 * must stay on their line, docs/language.md).
 */
const INLINE_GAPS = [' ', '  ', '\t', ' /* note */ '];
const LINE_GAPS = ['\n', '\n\n\n  ', ' // note\n', ' /* note */\n'];
const BREAK_AFTER = new Set(['{', '(', '[', ',', '=', ':', '|>']);

function relayout(text: string, choices: number[]): string {
  const tokens = lex(text).tokens;
  let out = '';
  tokens.forEach((token, i) => {
    out += token.image;
    const next = tokens[i + 1];
    if (!next) return;
    const gap = text.slice(token.startOffset + token.image.length, next.startOffset);
    const choice = choices[i % choices.length]!;
    const mayBreak = gap.includes('\n') || BREAK_AFTER.has(token.image);
    const gaps = mayBreak && choice % 2 === 0 ? LINE_GAPS : INLINE_GAPS;
    // Keep gaps that hold comments; re-space the others.
    out += /\/[/*]/.test(gap) ? gap : gaps[(choice >> 1) % gaps.length]!;
  });
  return `${out}\n`;
}

describe('formatting is independent of layout (property)', () => {
  const texts = sampleTexts().filter((t) => parse(t).diagnostics.every((d) => d.severity !== 'error'));

  it('any re-spacing of the examples formats idempotently, to the same tree, keeping comments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: texts.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), async (which, choices) => {
        const text = relayout(texts[which]!, choices);
        expect(parse(text).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const once = await formatNnet(text);
        expect(await formatNnet(once)).toBe(once);
        expect(meaningOf(parse(once).file)).toBe(meaningOf(parse(text).file));
      }),
      { numRuns: Number(process.env.FMT_PROPERTY_RUNS ?? 25) },
    );
  });

  it('the fixture formats to itself', async () => {
    const text = readFileSync(new URL('../../lsp/fixtures/showcase.nnet', import.meta.url), 'utf8');
    expect(await formatNnet(text)).toBe(text);
  });
});
