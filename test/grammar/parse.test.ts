import { describe, expect, it } from 'vitest';
import type {
  AssignStmt,
  BlockDecl,
  CallExpr,
  Expr,
  GanDecl,
  InputDecl,
  LetDecl,
  ModelDecl,
  OutputDecl,
  PipeExpr,
  TrainSection,
} from '../../grammar/ast.js';
import { parseClean, textAt, withoutRanges } from './helpers.js';

/** The value of `let v = <expr>`, without ranges. */
function expr(source: string): Expr {
  const file = parseClean(`let v = ${source}`);
  return withoutRanges((file.decls[0] as LetDecl).value);
}

/** Expected values are compared with `withoutRanges(...)`, so they have no `range`. */
const num = (value: number, raw = String(value)) => ({ kind: 'Number' as const, value, raw });
const name = (n: string) => ({ kind: 'Name' as const, name: n });
const ident = (n: string) => ({ kind: 'Ident' as const, name: n });

describe('expressions', () => {
  it('reads literals', () => {
    expect(expr('42')).toEqual(num(42));
    expect(expr('0.5')).toEqual(num(0.5));
    expect(expr('1e-3')).toEqual(num(0.001, '1e-3'));
    expect(expr('2.5E+4')).toEqual(num(25000, '2.5E+4'));
    expect(expr('1e15')).toEqual(num(1e15, '1e15'));
    expect(expr('"weights/h.npy"')).toEqual({ kind: 'String', value: 'weights/h.npy' });
    expect(expr('"a\\"b\\\\c\\nd\\te"')).toEqual({ kind: 'String', value: 'a"b\\c\nd\te' });
    expect(expr('true')).toEqual({ kind: 'Bool', value: true });
    expect(expr('false')).toEqual({ kind: 'Bool', value: false });
    expect(expr('relu')).toEqual(name('relu'));
  });

  it('gives * and / precedence over + and -, all left-associative', () => {
    expect(expr('1 + 2 * 3')).toEqual({
      kind: 'Binary',
      op: '+',
      left: num(1),
      right: { kind: 'Binary', op: '*', left: num(2), right: num(3) },
    });
    expect(expr('8 - 4 - 2')).toEqual({
      kind: 'Binary',
      op: '-',
      left: { kind: 'Binary', op: '-', left: num(8), right: num(4) },
      right: num(2),
    });
    expect(expr('8 / 4 * 2 + 1')).toEqual({
      kind: 'Binary',
      op: '+',
      left: { kind: 'Binary', op: '*', left: { kind: 'Binary', op: '/', left: num(8), right: num(4) }, right: num(2) },
      right: num(1),
    });
    expect(expr('(1 + 2) * width')).toEqual({
      kind: 'Binary',
      op: '*',
      left: { kind: 'Binary', op: '+', left: num(1), right: num(2) },
      right: name('width'),
    });
  });

  it('reads unary minus, repeated and binding tighter than *', () => {
    expect(expr('-0.5')).toEqual({ kind: 'Unary', op: '-', operand: num(0.5) });
    expect(expr('- -x')).toEqual({ kind: 'Unary', op: '-', operand: { kind: 'Unary', op: '-', operand: name('x') } });
    expect(expr('-a * b')).toEqual({
      kind: 'Binary',
      op: '*',
      left: { kind: 'Unary', op: '-', operand: name('a') },
      right: name('b'),
    });
  });

  it('reads nested lists with trailing commas', () => {
    expect(expr('[[0.5, -0.6], [0.7, 1,],]')).toEqual({
      kind: 'List',
      items: [
        { kind: 'List', items: [num(0.5), { kind: 'Unary', op: '-', operand: num(0.6) }] },
        { kind: 'List', items: [num(0.7), num(1)] },
      ],
    });
    expect(expr('[]')).toEqual({ kind: 'List', items: [] });
  });

  it('reads calls with positional and named arguments', () => {
    expect(expr('dense(x, 4, sigmoid, bias: false,)')).toEqual({
      kind: 'Call',
      callee: ident('dense'),
      args: [
        { kind: 'Arg', value: name('x') },
        { kind: 'Arg', value: num(4) },
        { kind: 'Arg', value: name('sigmoid') },
        { kind: 'Arg', name: ident('bias'), value: { kind: 'Bool', value: false } },
      ],
    });
    expect(expr('flatten()')).toEqual({ kind: 'Call', callee: ident('flatten'), args: [] });
  });

  it('reads pipelines whose stages are names or calls', () => {
    expect(expr('image |> flatten |> dense(256, relu)')).toEqual({
      kind: 'Pipe',
      stages: [
        name('image'),
        name('flatten'),
        { kind: 'Call', callee: ident('dense'), args: [{ kind: 'Arg', value: num(256) }, { kind: 'Arg', value: name('relu') }] },
      ],
    });
    // Arithmetic binds tighter than the pipe: the first stage is `a + b`.
    expect((expr('a + b |> f') as PipeExpr).stages[0]).toEqual({ kind: 'Binary', op: '+', left: name('a'), right: name('b') });
  });
});

describe('declarations and statements', () => {
  const SEED = `// The 3-4-2 network
model Seed {
  input x: [batch, 3]
  h = dense(x, 4, sigmoid,
            weight: [[0.5, -0.6, 0.1], [0.7, -0.8, 0.2]],
            bias: [0.1, -0.2])
  output y
  output probs = softmax(h)
  let width = 2 * 64
}`;

  it('reads a model with inputs, assignments, outputs and constants', () => {
    const file = parseClean(SEED);
    expect(file.decls).toHaveLength(1);
    const model = file.decls[0] as ModelDecl;
    expect(model.kind).toBe('Model');
    expect(model.name.name).toBe('Seed');
    expect(model.body.map((s) => s.kind)).toEqual(['Input', 'Assign', 'Output', 'Output', 'Let']);
    const input = model.body[0] as InputDecl;
    expect(withoutRanges(input.shape)).toEqual({ kind: 'Shape', dims: [name('batch'), num(3)] });
    expect(input.dtype).toBeUndefined();
    expect((model.body[2] as OutputDecl).value).toBeUndefined();
    expect(withoutRanges((model.body[3] as OutputDecl).value)).toEqual({
      kind: 'Call',
      callee: ident('softmax'),
      args: [{ kind: 'Arg', value: name('h') }],
    });
  });

  it('gives every node its exact source range', () => {
    const file = parseClean(SEED);
    const model = file.decls[0] as ModelDecl;
    expect(textAt(SEED, model.range)).toBe(SEED.slice(SEED.indexOf('model')));
    expect(textAt(SEED, model.name.range)).toBe('Seed');
    const input = model.body[0] as InputDecl;
    expect(textAt(SEED, input.range)).toBe('input x: [batch, 3]');
    expect(textAt(SEED, input.shape.range)).toBe('[batch, 3]');
    expect(textAt(SEED, input.shape.dims[1]!.range)).toBe('3');
    const assign = model.body[1] as AssignStmt;
    const call = assign.value as CallExpr;
    expect(textAt(SEED, assign.name.range)).toBe('h');
    expect(textAt(SEED, call.range)).toMatch(/^dense\(x, 4, sigmoid,\n[\s\S]*bias: \[0\.1, -0\.2\]\)$/);
    expect(textAt(SEED, call.callee.range)).toBe('dense');
    const weight = call.args[3]!;
    expect(textAt(SEED, weight.range)).toBe('weight: [[0.5, -0.6, 0.1], [0.7, -0.8, 0.2]]');
    expect(textAt(SEED, weight.name!.range)).toBe('weight');
    expect(textAt(SEED, weight.value.range)).toBe('[[0.5, -0.6, 0.1], [0.7, -0.8, 0.2]]');
    const let_ = model.body[4] as LetDecl;
    expect(textAt(SEED, let_.range)).toBe('let width = 2 * 64');
    expect(textAt(SEED, let_.value.range)).toBe('2 * 64');
    expect(file.range).toEqual({ start: 0, end: SEED.length });
  });

  it('includes parentheses and minus signs in operator ranges', () => {
    const text = 'let v = -(a + b) * c - 1';
    const value = (parseClean(text).decls[0] as LetDecl).value;
    expect(textAt(text, value.range)).toBe('-(a + b) * c - 1');
    if (value.kind !== 'Binary' || value.left.kind !== 'Binary') throw new Error('expected binary');
    expect(textAt(text, value.left.range)).toBe('-(a + b) * c');
    expect(textAt(text, value.left.left.range)).toBe('-(a + b)');
  });

  it('reads an input dtype on the same line only', () => {
    const model = parseClean('model M {\n  input label: [batch] int\n  input x: [batch, 3]\n  h = x\n}').decls[0] as ModelDecl;
    expect((model.body[0] as InputDecl).dtype?.name).toBe('int');
    expect((model.body[1] as InputDecl).dtype).toBeUndefined();
    expect(model.body.map((s) => s.kind)).toEqual(['Input', 'Input', 'Assign']);
  });

  it('reads a block with parameters, defaults and a return', () => {
    const text = 'block residual(x, width, act = relu,) {\n  h = dense(x, width, act)\n  let k = 2\n  return add(x, dense(h, width))\n}';
    const block = parseClean(text).decls[0] as BlockDecl;
    expect(block.name.name).toBe('residual');
    expect(block.params.map((p) => p.name.name)).toEqual(['x', 'width', 'act']);
    expect(block.params[2]!.default && withoutRanges(block.params[2]!.default)).toEqual(name('relu'));
    expect(block.body.map((s) => s.kind)).toEqual(['Assign', 'Let']);
    expect(textAt(text, block.result!.range)).toBe('return add(x, dense(h, width))');
    expect(textAt(text, block.result!.value.range)).toBe('add(x, dense(h, width))');
  });

  it('reads top-level constants between declarations, in document order', () => {
    const file = parseClean('let width = 128\nmodel A { input x: [width] }\nlet depth = 2\nblock b(x) { return x }');
    expect(file.decls.map((d) => d.kind)).toEqual(['Let', 'Model', 'Let', 'Block']);
  });
});

describe('train sections', () => {
  const TRAIN = `model Digits {
  input image: [batch, 28, 28]
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 1e-3)
    schedule cosine(min_lr: 1e-5)
    augment noise(0.05), shift(2), flip
    epochs 10  batch 128  validation 0.1
    early_stopping(monitor: val_loss, patience: 3)
    metrics accuracy
    seed 42
    data "digits.csv"
    shuffle
  }
}`;

  function settingsOf(text: string): TrainSection {
    const model = parseClean(text).decls[0] as ModelDecl;
    return model.body.find((s): s is TrainSection => s.kind === 'Train')!;
  }

  it('splits settings that are not newline-terminated', () => {
    const train = settingsOf(TRAIN);
    expect(train.settings.map((s) => s.key.name)).toEqual([
      'loss',
      'optimizer',
      'schedule',
      'augment',
      'epochs',
      'batch',
      'validation',
      'early_stopping',
      'metrics',
      'seed',
      'data',
      'shuffle',
    ]);
    const values = Object.fromEntries(train.settings.map((s) => [s.key.name, withoutRanges(s.values)]));
    expect(values['epochs']).toEqual([num(10)]);
    expect(values['batch']).toEqual([num(128)]);
    expect(values['metrics']).toEqual([name('accuracy')]);
    expect(values['seed']).toEqual([num(42)]);
    expect(values['shuffle']).toEqual([]);
    expect(values['data']).toEqual([{ kind: 'String', value: 'digits.csv' }]);
    expect((values['augment'] as Expr[]).map((v) => v.kind)).toEqual(['Call', 'Call', 'Name']);
  });

  it('stores a call statement as a setting whose one value is the call', () => {
    const train = settingsOf(TRAIN);
    const early = train.settings.find((s) => s.key.name === 'early_stopping')!;
    expect(early.values).toHaveLength(1);
    const call = early.values[0] as CallExpr;
    expect(call.kind).toBe('Call');
    expect(call.callee).toBe(early.key);
    expect(call.args.map((a) => a.name?.name)).toEqual(['monitor', 'patience']);
    expect(textAt(TRAIN, call.range)).toBe('early_stopping(monitor: val_loss, patience: 3)');
    expect(textAt(TRAIN, early.range)).toBe('early_stopping(monitor: val_loss, patience: 3)');
  });

  it('keeps the train keyword range and exact setting ranges', () => {
    const train = settingsOf(TRAIN);
    expect(textAt(TRAIN, train.keyword)).toBe('train');
    expect(textAt(TRAIN, train.settings[3]!.range)).toBe('augment noise(0.05), shift(2), flip');
    expect(textAt(TRAIN, train.settings[4]!.range)).toBe('epochs 10');
  });

  it('continues a value list on the next line only after a comma', () => {
    const train = settingsOf('model M { train {\n  metrics accuracy,\n    top_k(5)\n  seed 1\n} }');
    expect(train.settings.map((s) => [s.key.name, s.values.length])).toEqual([
      ['metrics', 2],
      ['seed', 1],
    ]);
  });
});

describe('gan declarations', () => {
  it('reads settings and one train section', () => {
    const text = `gan DigitsGan {
  generator Generator
  discriminator Discriminator
  train { optimizer adam(lr: 2e-4, beta1: 0.5)  epochs 20  batch 64  data digits }
}`;
    const gan = parseClean(text).decls[0] as GanDecl;
    expect(gan.name.name).toBe('DigitsGan');
    expect(gan.settings.map((s) => [s.key.name, withoutRanges(s.values)])).toEqual([
      ['generator', [name('Generator')]],
      ['discriminator', [name('Discriminator')]],
    ]);
    expect(gan.train?.settings.map((s) => s.key.name)).toEqual(['optimizer', 'epochs', 'batch', 'data']);
  });
});

describe('comments', () => {
  it('collects line and block comments in document order', () => {
    const text = '// head\nmodel A { /* inside\n spans lines */ input x: [3] // tail\n}\n/**/';
    const file = parseClean(text);
    expect(file.comments.map((c) => [c.style, c.text])).toEqual([
      ['line', '// head'],
      ['block', '/* inside\n spans lines */'],
      ['line', '// tail'],
      ['block', '/**/'],
    ]);
    for (const comment of file.comments) expect(textAt(text, comment.range)).toBe(comment.text);
    expect(file.decls).toHaveLength(1);
  });

  it('parses an empty file and a file of comments only', () => {
    expect(parseClean('').decls).toEqual([]);
    expect(parseClean('  // nothing here\n').comments).toHaveLength(1);
  });
});

describe('whitespace', () => {
  it('treats a byte-order mark and no-break spaces as whitespace', () => {
    const file = parseClean('\ufefflet\u00a0width = 3');
    expect((file.decls[0] as LetDecl).name.name).toBe('width');
  });
});

describe('keywords', () => {
  it('treats names that start with a keyword as names', () => {
    const model = parseClean('model models { input inputs: [3]  outputs = inputs  output outputs }').decls[0] as ModelDecl;
    expect(model.name.name).toBe('models');
    expect(model.body.map((s) => s.kind)).toEqual(['Input', 'Assign', 'Output']);
  });
});
