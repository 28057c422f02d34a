// Full runs of zoo models on data that can be had offline, for the "full run" column of
// examples/zoo/README.md. Each run writes its data files and a copy of the zoo file with a `data`
// line added to its train section into a work folder (a new temporary one unless named), then
// trains that copy with the CLI, so the run is `nnet train` with the file's own settings. The
// CIFAR-10 stand-ins also replace the 32×32×3 image input by the bundled digits made into one.
//
//   NNET_THREADS=1 nice node bench/zoo/full-run.mjs multitask         # the Keras guide's random data
//   NNET_THREADS=1 nice node bench/zoo/full-run.mjs char-lstm         # Genesis (KJV), examples/zoo/data/
//   NNET_THREADS=1 nice node bench/zoo/full-run.mjs resnet20-digits /tmp/resnet20 --epochs 5
//   NNET_THREADS=1 nice node bench/zoo/full-run.mjs vgg-digits --epochs 1
//
// Arguments after the run's name (and the work folder, if given) go to `nnet train`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// nnet's one PRNG (the built dist/), so the random data is the same on every run.
import { mulberry32 } from '../../dist/runtime/plan/random.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ZOO = join(ROOT, 'examples/zoo');
const [which, ...rest] = process.argv.slice(2);
const workArg = rest[0] && !rest[0].startsWith('-') ? rest.shift() : undefined;
const trainArgs = rest;

const rows = (n, width, cell) => Array.from({ length: n }, () => Array.from({ length: width }, cell));

/**
 * Char-rnn's setup on a public-domain text: the Book of Genesis, King James Version (Debian's
 * bible-kjv-text, verse numbers removed; 196,818 characters, 60 distinct). The first 90% trains,
 * the last 10% is the test set; both are cut into sequences of 50 characters, each with its next
 * characters as the target, as char-rnn cuts tiny-shakespeare.
 */
function charLstm(work) {
  const text = readFileSync(join(ZOO, 'data/genesis-kjv.txt'), 'utf8');
  const alphabet = [...new Set(text)].sort();
  const id = new Map(alphabet.map((c, i) => [c, i]));
  const seq = 50;
  const sequences = (part) => {
    const chars = [];
    const next = [];
    for (let at = 0; at + seq + 1 <= part.length; at += seq) {
      chars.push([...part.slice(at, at + seq)].map((c) => id.get(c)));
      next.push([...part.slice(at + 1, at + seq + 1)].map((c) => id.get(c)));
    }
    return { chars, next };
  };
  const cut = Math.floor(text.length * 0.9);
  writeFileSync(join(work, 'train.json'), JSON.stringify(sequences(text.slice(0, cut))));
  writeFileSync(join(work, 'test.json'), JSON.stringify(sequences(text.slice(cut))));
  console.log(`Genesis (KJV): ${text.length} characters, ${alphabet.length} distinct; ${cut} train, ${text.length - cut} test, sequences of ${seq}`);
  return withData('char-lstm.nnet', work, 'json("train.json", test_file: "test.json")');
}

/**
 * The Keras functional API guide's data for its ticket model: 1,280 random samples — titles of 10
 * and bodies of 100 word ids below 10,000, 12 binary tags, a priority in [0, 1) and 4 binary
 * department targets — fitted for 2 epochs in batches of 32. There is nothing to learn in it; the
 * guide runs it to show that the model trains.
 */
function multitask(work) {
  const random = mulberry32(1);
  const n = 1280;
  const int = (below) => () => Math.floor(random() * below);
  const data = {
    title: rows(n, 10, int(10000)),
    body: rows(n, 100, int(10000)),
    tags: rows(n, 12, int(2)),
    priority_target: rows(n, 1, random),
    department_target: rows(n, 4, int(2)),
  };
  writeFileSync(join(work, 'train.json'), JSON.stringify(data));
  return withData('multitask.nnet', work, '"train.json"');
}

/**
 * A stand-in for CIFAR-10, which cannot be had offline: the bundled digits (8,000 train, 2,000 test),
 * made 32×32×3 in the model — each 28×28 digit padded to 32×32 and repeated as the three channels of
 * a grey image — in front of the zoo file's network, which is unchanged (its `image` becomes that
 * grey image instead of an input).
 */
function onDigits(file) {
  return (work) =>
    withData(file, work, 'digits', (text) => {
      const input = /^(\s*)input image: \[batch, 32, 32, 3\]\n/m;
      if (!input.test(text)) throw new Error(`${file}: no 32×32×3 image input`);
      return text.replace(
        input,
        (_, indent) =>
          `${indent}input digit: [batch, 28, 28]\n` +
          `${indent}grey = digit |> reshape([28, 28, 1]) |> pad([2, 2, 0])\n` +
          `${indent}image = concat(grey, grey, grey)\n`,
      );
    });
}

/**
 * The zoo file (after `edit`) with `data SOURCE` as the first line of its train section, written
 * into `work`.
 */
function withData(file, work, source, edit = (text) => text) {
  const text = edit(readFileSync(join(ZOO, file), 'utf8'));
  const marked = text.replace(/^(\s*)train \{\n/m, (line, indent) => `${line}${indent}  data ${source}\n`);
  if (marked === text) throw new Error(`${file}: no train section found`);
  const path = join(work, file);
  writeFileSync(path, marked);
  return path;
}

const RUNS = { 'char-lstm': charLstm, multitask, 'resnet20-digits': onDigits('resnet20.nnet'), 'vgg-digits': onDigits('vgg-bn.nnet') };
const prepare = RUNS[which];
if (!prepare) {
  console.error(`usage: node bench/zoo/full-run.mjs ${Object.keys(RUNS).join('|')} [work folder] [nnet train options]`);
  process.exit(2);
}
const work = workArg ? resolve(workArg) : mkdtempSync(join(tmpdir(), `zoo-${which}-`));
mkdirSync(work, { recursive: true });
const model = prepare(work);
const args = [join(ROOT, 'dist/cli/main.js'), 'train', model, '--no-checkpoint', ...trainArgs];
console.log(`node ${args.join(' ')}`);
const started = process.hrtime.bigint();
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
console.log(`wall ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)} s`);
process.exit(result.status ?? 1);
