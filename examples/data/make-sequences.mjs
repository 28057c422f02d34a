// Writes the small synthetic sequence datasets used by the examples (deterministic, fixed seed):
//   data/reviews.json  400 "reviews" of 20 token ids < 5000 and a 0/1 label: positive reviews use
//                      more ids from 1..50, negative ones from 51..100, the rest is neutral filler
//                      (examples/sequence-lstm.nnet: fields tokens [N, 20] int, label [N, 1]);
//   data/text.json     200 windows of 32 bytes of English text and the same windows shifted by one
//                      (examples/tiny-transformer.nnet: fields tokens, next [N, 32] int).
//   node data/make-sequences.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let state = 2026;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
const int = (lo, hi) => lo + Math.floor(uniform() * (hi - lo));

const tokens = [];
const label = [];
for (let i = 0; i < 400; i++) {
  const positive = i % 2;
  tokens.push(Array.from({ length: 20 }, () => (uniform() < 0.3 ? (positive ? int(1, 51) : int(51, 101)) : int(101, 5000))));
  label.push([positive]);
}
writeFileSync(join(here, 'reviews.json'), JSON.stringify({ tokens, label }) + '\n');

const text =
  'A neural network is a function built from simple layers. Each layer multiplies its input by a ' +
  'matrix of weights, adds a bias and applies a nonlinear activation such as relu or sigmoid. ' +
  'Training adjusts the weights to reduce a loss on examples, one batch at a time, by following the ' +
  'gradient that backpropagation computes. A language model reads a sequence of characters and ' +
  'predicts the next one; attention lets every position look back at the positions before it. ';
const bytes = Array.from(new TextEncoder().encode(text.repeat(4)));
const windows = [];
const next = [];
for (let i = 0; i < 200; i++) {
  const start = int(0, bytes.length - 33);
  windows.push(bytes.slice(start, start + 32));
  next.push(bytes.slice(start + 1, start + 33));
}
writeFileSync(join(here, 'text.json'), JSON.stringify({ tokens: windows, next }) + '\n');
