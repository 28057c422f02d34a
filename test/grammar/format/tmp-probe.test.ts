import { it } from 'vitest';
import { lex } from '../../../grammar/lex.js';
import { parse } from '../../../grammar/index.js';
import { formatNnet } from '../../../grammar/format/index.js';
import { sampleTexts } from '../../lsp/corpus.js';
const INLINE_GAPS = [' ', '  ', '\t', ' /* note */ '];
const LINE_GAPS = ['\n', '\n\n\n  ', ' // note\n', ' /* note */\n'];
const BREAK_AFTER = new Set(['{', '(', '[', ',', '=', ':', '|>']);
it('probe', async () => {
  const text = sampleTexts().filter((t) => parse(t).diagnostics.every((d) => d.severity !== 'error'))[0]!;
  const tokens = lex(text).tokens;
  let out = '';
  const choices=JSON.parse(process.env.CHOICES!);
  tokens.forEach((token, i) => {
    out += token.image;
    const next = tokens[i + 1];
    if (!next) return;
    const gap = text.slice(token.startOffset + token.image.length, next.startOffset);
    const choice = choices[i % choices.length]!;
    const mayBreak = gap.includes('\n') || BREAK_AFTER.has(token.image);
    const gaps = mayBreak && choice % 2 === 0 ? LINE_GAPS : INLINE_GAPS;
    out += /\/[/*]/.test(gap) ? gap : gaps[(choice >> 1) % gaps.length]!;
  });
  const once = await formatNnet(out + '\n');
  const twice = await formatNnet(once);
  const a = once.split('\n'), b = twice.split('\n'); console.log(JSON.stringify(once.slice(-80)), JSON.stringify(twice.slice(-80)));
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) { console.log(i, JSON.stringify(a.slice(Math.max(0, i - 5), i + 6).join('\n'))); console.log('---'); console.log(JSON.stringify(b.slice(Math.max(0, i - 5), i + 6).join('\n'))); console.log(JSON.stringify(out.slice(0, 300))); break; }
});
