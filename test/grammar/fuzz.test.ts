import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../diagnostics/types.js';
import { checkSource } from '../../compiler/index.js';
import { lex } from '../../grammar/lex.js';
import { parse } from '../../grammar/index.js';

/**
 * Property tests of the front end on hostile input: random strings over the language's alphabet
 * and mutations (token deletions, insertions, swaps, duplications) of real programs. Whatever the
 * input, `checkSource` returns (never throws, never hangs) and every diagnostic's range, and every
 * related range, lies inside the document.
 */

const EXAMPLES_DIR = new URL('../../examples/', import.meta.url);

/** Valid programs of our own, so the corpus does not depend on the examples folder. */
const INLINE_CORPUS = [
  `// the 3-4-2 network
model Seed {
  input x: [batch, 3]
  h = dense(x, 4, sigmoid, weight: [[0.5, -0.6, 0.1], [0.7, -0.8, 0.2], [-0.1, 0.9, -0.3], [0.3, 0.1, -0.4]],
            bias: [0.1, -0.2, 0.3, 0.4])
  y = dense(h, 2, sigmoid)
  output y
}`,
  `let width = 128
block residual(x, size, act = relu) {
  h = dense(x, size, act)
  return add(x, dense(h, size))
}
model Digits {
  input image: [batch, 28, 28]
  input label: [batch] int
  logits = image |> flatten |> dense(width * 2, relu) |> dropout(0.2) |> residual(256) |> dense(10)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label, from_logits: true)
    optimizer adam(lr: 1e-3)
    regularize l2(1e-4)
    augment noise(0.05), shift(2), flip
    epochs 10  batch 128  validation 0.1
    early_stopping(monitor: val_loss, patience: 3)
    metrics accuracy
    data "digits.csv"
  }
}`,
  `model G { input z: [batch, 32]  output image = z |> dense(784, tanh) |> reshape([28, 28]) }
model D { input image: [batch, 28, 28]  output score = image |> flatten |> dense(1) }
gan Pair {
  generator G
  discriminator D
  train { optimizer adam(lr: 2e-4, beta1: 0.5)  epochs 20  batch 64 /* adversarial */ }
}`,
];

function corpus(): string[] {
  const examples = existsSync(EXAMPLES_DIR)
    ? readdirSync(EXAMPLES_DIR)
        .filter((name) => name.endsWith('.nnet'))
        .map((name) => readFileSync(new URL(name, EXAMPLES_DIR), 'utf8'))
    : [];
  return [...INLINE_CORPUS, ...examples];
}

/** Pieces of .nnet text, valid and invalid, that random programs are assembled from. */
const ALPHABET = [
  'model', 'block', 'gan', 'input', 'output', 'let', 'return', 'train', 'true', 'false',
  'x', 'h', 'dense', 'relu', 'batch', 'epochs', 'int', 'f32',
  '0', '3', '0.5', '1e-3', '1e', '1e999', '"s"', '"a\\"b"', '"open', '"\\q"',
  '{', '}', '(', ')', '[', ']', ',', ':', '=', '|>', '|', '+', '-', '*', '/',
  ' ', '  ', '\n', '\r\n', '\t', '// c\n', '/* c */', '/*', '*/', '$', '@', 'é', '😀', '\u0000',
];

function expectWellFormed(text: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const ranges = [d.range, ...(d.related ?? []).map((r) => r.range), ...(d.fix?.edits ?? []).map((e) => e.range)];
    for (const range of ranges) {
      expect(Number.isInteger(range.start) && Number.isInteger(range.end), `${d.code} ${JSON.stringify(range)}`).toBe(true);
      expect(range.start, `${d.code} ${d.message}`).toBeGreaterThanOrEqual(0);
      expect(range.start, `${d.code} ${d.message}`).toBeLessThanOrEqual(range.end);
      expect(range.end, `${d.code} ${d.message}`).toBeLessThanOrEqual(text.length);
    }
    expect(d.message.length).toBeGreaterThan(0);
  }
}

/** Runs the whole front end; the property holds if it returns well-formed diagnostics. */
function checkTerminatesCleanly(text: string): void {
  const parsed = parse(text);
  expectWellFormed(text, parsed.diagnostics);
  const starts = parsed.diagnostics.map((d) => d.range.start);
  expect(new Set(starts).size, 'two syntax diagnostics at one position').toBe(starts.length);
  const checked = checkSource(text);
  expectWellFormed(text, checked.diagnostics);
}

/** A program's tokens and comments as text pieces, with the whitespace between them kept. */
function pieces(text: string): string[] {
  const { tokens } = lex(text);
  const result: string[] = [];
  let at = 0;
  for (const token of tokens) {
    result.push(text.slice(at, token.startOffset), token.image);
    at = token.startOffset + token.image.length;
  }
  result.push(text.slice(at));
  return result;
}

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; piece: string }
  | { kind: 'swap'; at: number; other: number }
  | { kind: 'duplicate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...ALPHABET) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
);

/** Applies mutations to the token pieces (odd indices are tokens, even ones the gaps between). */
function mutate(source: string[], mutations: readonly Mutation[]): string {
  const parts = [...source];
  for (const m of mutations) {
    const tokenCount = Math.floor(parts.length / 2);
    if (tokenCount === 0) break;
    const index = 2 * (m.at % tokenCount) + 1;
    if (m.kind === 'delete') parts[index] = '';
    else if (m.kind === 'insert') parts[index] = `${parts[index]} ${m.piece} `;
    else if (m.kind === 'duplicate') parts[index] = `${parts[index]} ${parts[index]}`;
    else {
      const other = 2 * (m.other % tokenCount) + 1;
      [parts[index], parts[other]] = [parts[other]!, parts[index]!];
    }
  }
  return parts.join('');
}

describe('front end on hostile input', () => {
  it('survives random strings over the language alphabet', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 80 }), (parts) => checkTerminatesCleanly(parts.join(' '))),
      { numRuns: 300 },
    );
  });

  it('survives random strings with no separators', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 80 }), (parts) => checkTerminatesCleanly(parts.join(''))),
      { numRuns: 200 },
    );
  });

  it('survives token deletions, insertions, swaps and duplications of real programs', () => {
    const programs = corpus().map(pieces);
    fc.assert(
      fc.property(fc.nat(programs.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), (which, mutations) =>
        checkTerminatesCleanly(mutate(programs[which]!, mutations)),
      ),
      { numRuns: 150 },
    );
  });

  it('parses the unmutated corpus without syntax errors', () => {
    for (const program of corpus()) {
      const syntax = parse(program).diagnostics;
      expect(syntax.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    }
  });

  it('survives every prefix of a real program (what an editor sees while typing)', () => {
    const program = INLINE_CORPUS[1]!;
    for (let end = 0; end <= program.length; end += 7) checkTerminatesCleanly(program.slice(0, end));
  });
});
