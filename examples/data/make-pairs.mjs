// Writes the data of examples/question-pairs.nnet (deterministic, fixed seed):
//   data/pairs.json         1,600 pairs of "questions" of 12 token ids < 300 and whether they are
//                           about the same topic: fields first, second [N, 12] int, same [N, 1].
//                           Ten topics own 20 words each (ids 10..209); a question draws about 40%
//                           of its words from its topic, the rest from 90 common words (210..299).
//   data/word-vectors.npy   [300, 16] float32 word vectors standing in for pretrained ones (GloVe,
//                           word2vec): a topic's words lie near a direction of their own, common words
//                           near the origin. The model loads them into a frozen embedding.
//   node data/make-pairs.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let state = 77;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
const int = (lo, hi) => lo + Math.floor(uniform() * (hi - lo));
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

const VOCAB = 300, DIM = 16, TOPICS = 10, LENGTH = 12;
const topicWord = (topic) => 10 + topic * 20 + int(0, 20);
const question = (topic) => Array.from({ length: LENGTH }, () => (uniform() < 0.4 ? topicWord(topic) : int(210, VOCAB)));

const first = [], second = [], same = [];
for (let i = 0; i < 1600; i++) {
  const topic = int(0, TOPICS);
  const alike = i % 2 === 0;
  const other = alike ? topic : (topic + int(1, TOPICS)) % TOPICS;
  first.push(question(topic));
  second.push(question(other));
  same.push([alike ? 1 : 0]);
}
writeFileSync(join(here, 'pairs.json'), JSON.stringify({ first, second, same }) + '\n');

const directions = Array.from({ length: TOPICS }, () => Array.from({ length: DIM }, normal));
const vectors = new Float32Array(VOCAB * DIM);
for (let word = 0; word < VOCAB; word++) {
  const topic = word >= 10 && word < 210 ? Math.floor((word - 10) / 20) : -1;
  for (let k = 0; k < DIM; k++) vectors[word * DIM + k] = (topic >= 0 ? 0.5 * directions[topic][k] : 0) + 0.3 * normal();
}
// NPY format 1.0: magic, version, header length, a Python dict padded to 64 bytes, then the data.
let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${VOCAB}, ${DIM}), }`;
header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
const prefix = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.from(new Uint16Array([header.length]).buffer), Buffer.from(header, 'latin1')]);
writeFileSync(join(here, 'word-vectors.npy'), Buffer.concat([prefix, Buffer.from(vectors.buffer)]));
