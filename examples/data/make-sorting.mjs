// Writes data/sorting.json for examples/sort-digits.nnet (deterministic, fixed seed): 2,000 sequences
// of 2 to 8 digits and the same digits sorted, as a translation task would have them:
//   source       [N, 8] int   the digits as tokens 3..12, padded with 0 after the last one
//   source_mask  [N, 8]       1 where source has a digit, 0 on padding (multi_head_attention's key_mask)
//   target_in    [N, 9] int   <bos> (1) then the sorted digits, padded with 0: the decoder's input
//   target_out   [N, 9] int   the sorted digits then <eos> (2), padded with 0: what it must predict
//   node data/make-sorting.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let state = 1234;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
const int = (lo, hi) => lo + Math.floor(uniform() * (hi - lo));

const PAD = 0, BOS = 1, EOS = 2, DIGIT = 3;
const MAX = 8;
const pad = (tokens, length) => [...tokens, ...Array(length - tokens.length).fill(PAD)];
const data = { source: [], source_mask: [], target_in: [], target_out: [] };
for (let i = 0; i < 2000; i++) {
  const digits = Array.from({ length: int(2, MAX + 1) }, () => DIGIT + int(0, 10));
  const sorted = [...digits].sort((a, b) => a - b);
  data.source.push(pad(digits, MAX));
  data.source_mask.push(pad(digits.map(() => 1), MAX));
  data.target_in.push(pad([BOS, ...sorted], MAX + 1));
  data.target_out.push(pad([...sorted, EOS], MAX + 1));
}
writeFileSync(join(here, 'sorting.json'), JSON.stringify(data) + '\n');
