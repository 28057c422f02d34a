import { ACTIVATION_NAMES } from '../../../runtime/plan/activations.js';
import { mulberry32 } from '../../../runtime/plan/random.js';

/**
 * A seeded generator of random .nnet models for the ONNX export tests: each model starts from an
 * input of one kind (features, a sequence of symbolic length, an image, token ids) and chains a few
 * layers drawn from those that accept the current value, with random sizes, windows, strides,
 * paddings, dilations and activations, then reduces to features and outputs. Together the models
 * reach every inference kernel the language produces (the test checks which).
 */
/** The length the tests give the symbolic `seq` (onnx-harness.ts). */
export const SEQUENCE_LENGTH = 16;

/** The seeds the export tests draw: 40 models. */
export const RANDOM_MODEL_SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

type Kind = 'vec' | 'seq' | 'img';

interface Value {
  kind: Kind;
  name: string;
  /** Feature (channel) count: the last axis. */
  features: number;
  /** Image height and width. */
  hw?: [number, number];
  /** A sequence's length when the tests feed SEQUENCE_LENGTH steps: windows stop before it runs out. */
  len?: number;
}

export function randomModel(seed: number): string {
  const random = mulberry32(seed * 7919 + 13);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // Activations rotate from the seed on, so that every one is drawn across a few seeds.
  let draws = seed;
  const nextActivation = (): (typeof ACTIVATION_NAMES)[number] => ACTIVATION_NAMES[draws++ % ACTIVATION_NAMES.length]!;
  // Other choices that must all be drawn go by turn as well.
  let turns = seed;
  const byTurn = <T>(items: readonly T[]): T => items[turns++ % items.length]!;
  const alpha = (name: string): number | undefined => (name === 'leaky_relu' ? pick([0.1, 0.2, 0.3]) : name === 'elu' ? pick([0.5, 1, 1.5]) : undefined);
  /** An activation argument: `relu`, `leaky_relu(0.2)`. */
  const activation = (): string => {
    const name = nextActivation();
    const a = alpha(name);
    return a === undefined ? name : `${name}(${a})`;
  };
  /** An activation call on `x`: `relu(x)`, `elu(x, 0.5)`. */
  const activationOf = (x: string): string => {
    const name = nextActivation();
    const a = alpha(name);
    return a === undefined ? `${name}(${x})` : `${name}(${x}, ${a})`;
  };
  const lines: string[] = [];
  let count = 0;
  const bind = (expression: string, next: Omit<Value, 'name'>): Value => {
    const name = `v${++count}`;
    lines.push(`  ${name} = ${expression}`);
    return { ...next, name };
  };

  const start = (['vec', 'seq', 'img', 'ids'] as const)[seed % 4]!;
  let v: Value;
  const header: string[] = [];
  if (start === 'vec') {
    const f = int(3, 8);
    header.push(`  input x: [batch, ${f}]`);
    v = { kind: 'vec', name: 'x', features: f };
  } else if (start === 'seq') {
    const f = pick([4, 6, 8]);
    header.push(`  input x: [batch, seq, ${f}]`);
    v = { kind: 'seq', name: 'x', features: f, len: SEQUENCE_LENGTH };
  } else if (start === 'img') {
    const [h, w, c] = [int(6, 9), int(6, 9), int(1, 3)];
    header.push(`  input x: [batch, ${h}, ${w}, ${c}]`);
    v = { kind: 'img', name: 'x', features: c, hw: [h, w] };
  } else {
    header.push('  input x: [batch, seq] int');
    const dim = pick([4, 6, 8]);
    v = bind(`embedding(x, ${int(5, 20)}, ${dim})`, { kind: 'seq', features: dim, len: SEQUENCE_LENGTH });
    // Every other ids model: attention that ignores the padding tokens (id 0), the ids as the key mask.
    if (seed % 8 === 3) v = bind(`multi_head_attention(${v.name}, 2, key_mask: x)`, v);
    // And a recurrence masked by the ids (id 0: padding, here anywhere in the row), both directions.
    if (seed % 8 === 7) {
      const [units, merge] = [int(2, 6), pick(['concat', 'sum'])];
      // Each cell by turn over the seeds 7, 15, 23, 31 (the GRU of two biases last).
      const cell = (['rnn', 'lstm', 'gru', 'gru_reset_after'] as const)[Math.floor(seed / 8) % 4]!;
      const [op, extra] = cell === 'gru_reset_after' ? ['gru', 'reset_after: true, '] : [cell, ''];
      v = bind(`${op}(${v.name}, ${units}, return_sequences: true, ${extra}mask: x, bidirectional: ${merge})`, { ...v, features: merge === 'concat' ? 2 * units : units });
      // Seeds 15 and 31 then pool over the real steps only (avg, max), and go on as features.
      if (seed % 16 === 15) v = bind(`global_${seed % 32 === 15 ? 'avg' : 'max'}pool(${v.name}, mask: x)`, { kind: 'vec', features: v.features });
    }
  }

  const steps = int(2, 5);
  for (let i = 0; i < steps; i++) {
    const f = v.features;
    // Images take 1×1 convolutions where the others take dense layers.
    const dense = (units: number, act: string): string => (v.kind === 'img' ? `conv2d(${v.name}, ${units}, 1, activation: ${act})` : `dense(${v.name}, ${units}, ${act})`);
    const specific: Array<() => Value> = [];
    const general: Array<() => Value> = [
      () => bind(dense(int(2, 8), activation()), { ...v, features: 0 }),
      () => bind(activationOf(v.name), v),
      () => bind(`batchnorm(${v.name}, epsilon: ${pick([0.001, 0.01])})`, v),
      () => bind(`layernorm(${v.name})`, v),
      () => bind(`groupnorm(${v.name}, ${f % 2 === 0 ? pick([1, 2, f]) : pick([1, f])})`, v),
      () => bind(`dropout(${v.name}, 0.3)`, v),
      () => bind(`add(${v.name}, ${dense(f, 'linear')})`, v),
      () => bind(`multiply(${v.name}, ${dense(f, 'sigmoid')})`, v),
      () => {
        const extra = int(1, 4);
        return bind(`concat(${v.name}, ${dense(extra, 'tanh')})`, { ...v, features: f + extra });
      },
    ];
    // Slicing, indexing, transposes and padding (strided reads and writes, reflection).
    if (v.kind === 'vec') {
      specific.push(() => {
        const [before, after] = [int(1, 2), int(0, 1)];
        return bind(`pad(${v.name}, [${before}], ${after})`, { ...v, features: f + before + after });
      });
      if (f > 2) specific.push(() => bind(`${v.name}[:, 1:] * ${v.name}[:, ::-1][:, 1:]`, { ...v, features: f - 1 }));
    }
    if (v.kind === 'seq' && v.len! >= 4) {
      specific.push(() => bind(`${v.name}[:, 1:]`, { ...v, len: v.len! - 1 }));
      specific.push(() => bind(`${v.name}[:, ::2, ::-1]`, { ...v, len: Math.ceil(v.len! / 2) }));
      specific.push(() => bind(`concat(${v.name}[:, -1], ${v.name}[:, 0])`, { kind: 'vec', features: 2 * f }));
      specific.push(() => bind(`pad(${v.name}, [1, 0], [2, 1])`, { ...v, len: v.len! + 3, features: f + 1 }));
    }
    if (v.kind === 'img') {
      const [h, w] = v.hw!;
      specific.push(() => bind(`transpose(${v.name}, [0, 2, 1, 3])`, { ...v, hw: [w, h] }));
      specific.push(() => bind(`pad(${v.name}, [1, 2, 0], mode: reflect)`, { ...v, hw: [h + 2, w + 4] }));
      specific.push(() => bind(`${v.name}[:, 1:, ::2]`, { ...v, hw: [h - 1, Math.ceil(w / 2)] }));
    }
    if (v.kind === 'vec') {
      specific.push(() => bind(`softmax(${v.name})`, v));
      if (f % 2 === 0) specific.push(() => bind(`${v.name} |> reshape([2, ${f / 2}]) |> flatten`, v));
    }
    if (v.kind === 'seq') {
      const len = v.len!;
      const out = (k: number, stride: number, dilation: number, padding: string): number => (padding === 'same' ? Math.ceil(len / stride) : Math.floor((len - dilation * (k - 1) - 1) / stride) + 1);
      if (len >= 6) {
        specific.push(
          () => {
            const [k, stride, padding] = [int(1, 3), pick([1, 1, 2]), pick(['valid', 'same'])];
            return bind(`conv1d(${v.name}, ${int(2, 6)}, ${k}, stride: ${stride}, padding: ${padding}, activation: ${activation()})`, { ...v, features: 0, len: out(k, stride, 1, padding) });
          },
          () => {
            const k = int(2, 3);
            return bind(`conv1d(${v.name}, ${int(2, 6)}, ${k}, dilation: 2)`, { ...v, features: 0, len: out(k, 1, 2, 'valid') });
          },
          () => {
            const [size, stride, padding] = [pick([2, 3]), pick([1, 2]), pick(['valid', 'same'])];
            return bind(`${byTurn(['maxpool1d', 'avgpool1d'])}(${v.name}, ${size}, stride: ${stride}, padding: ${padding})`, { ...v, len: out(size, stride, 1, padding) });
          },
        );
      }
      if (len <= SEQUENCE_LENGTH) {
        specific.push(
          () => {
            const [k, stride, padding] = [int(1, 3), pick([1, 2]), pick(['valid', 'same'])];
            const grown = padding === 'same' ? len * stride : len * stride + Math.max(k - stride, 0);
            return bind(`conv1d_transpose(${v.name}, ${int(2, 5)}, ${k}, stride: ${stride}, padding: ${padding}, activation: ${activation()})`, { ...v, features: 0, len: grown });
          },
          () => {
            const size = pick([2, 3]);
            return bind(`upsample1d(${v.name}, ${size}, mode: ${pick(['nearest', 'linear'])})`, { ...v, len: len * size });
          },
        );
      }
      specific.push(
        () => bind(`${pick(['rnn', 'lstm', 'gru'])}(${v.name}, ${int(2, 6)}, return_sequences: true)`, { ...v, features: 0 }),
        // Sinusoidal positions for the first seeds, learned ones after (no draw: the other layers stay as they were).
        () => bind(seed < 10 ? `positional_encoding(${v.name})` : `position_embedding(${v.name}, ${len + (seed % 5)})`, v),
      );
      if (f % 2 === 0) specific.push(() => bind(`multi_head_attention(${v.name}, ${pick([1, 2])}, causal: ${pick(['true', 'false'])})`, v));
    }
    if (v.kind === 'img') {
      const [h, w] = v.hw!;
      const k = int(1, 3);
      const stride = pick([1, 2]);
      const padding = pick(['valid', 'same']);
      const out = (n: number, span: number): number => (padding === 'same' ? Math.ceil(n / stride) : Math.floor((n - span) / stride) + 1);
      if (Math.min(h, w) >= k + 2) {
        specific.push(() => bind(`conv2d(${v.name}, ${int(2, 5)}, ${k}, stride: ${stride}, padding: ${padding}, activation: ${activation()})`, { ...v, features: 0, hw: [out(h, k), out(w, k)] }));
        specific.push(() => bind(`${byTurn(['maxpool2d', 'avgpool2d'])}(${v.name}, ${k + 1}, stride: ${stride}, padding: ${padding})`, { ...v, hw: [out(h, k + 1), out(w, k + 1)] }));
      }
      const m = int(1, 2);
      specific.push(() => bind(`depthwise_conv2d(${v.name}, ${k}, stride: ${stride}, padding: ${padding}, depth_multiplier: ${m})`, { ...v, features: f * m, hw: [out(h, k), out(w, k)] }));
      specific.push(() => bind(`separable_conv2d(${v.name}, ${int(2, 4)}, ${k}, padding: ${padding}, activation: ${activation()})`, { ...v, features: 0, hw: padding === 'same' ? [h, w] : [h - k + 1, w - k + 1] }));
      if (f % 2 === 0) specific.push(() => bind(`conv2d(${v.name}, ${2 * int(1, 3)}, ${k}, padding: ${padding}, groups: 2)`, { ...v, features: 0, hw: padding === 'same' ? [h, w] : [h - k + 1, w - k + 1] }));
      if (Math.max(h, w) <= 12) {
        const grown = (n: number): number => (padding === 'same' ? n * stride : n * stride + Math.max(k - stride, 0));
        specific.push(() => bind(`conv2d_transpose(${v.name}, ${int(2, 4)}, ${k}, stride: ${stride}, padding: ${padding}, activation: ${activation()})`, { ...v, features: 0, hw: [grown(h), grown(w)] }));
        specific.push(() => bind(`upsample2d(${v.name}, ${stride}, mode: ${pick(['nearest', 'bilinear'])})`, { ...v, hw: [h * stride, w * stride] }));
      }
      if (Math.min(h, w) >= 5) specific.push(() => bind(`conv2d(${v.name}, ${int(2, 4)}, 2, dilation: 2)`, { ...v, features: 0, hw: [h - 2, w - 2] }));
    }
    // The first two layers of model `seed` are drawn by turn from the kind's own layers, then the
    // general ones: every layer a kind offers is drawn across the seeds, not left to chance.
    const options = [...specific, ...general];
    const next = (i < 2 ? options[(Math.floor(seed / 4) + 10 * i) % options.length]! : pick(options))();
    // dense and conv give the size they were asked for: read it back from the expression.
    if (next.features === 0) next.features = Number(/^\w+\(\w+, (\d+)/.exec(lines.at(-1)!.split('= ')[1]!)![1]);
    v = next;
  }
  // Every model ends its chain with tensor arithmetic (elementwise functions, reductions kept as
  // size-1 axes) and an activation, each the seed's turn of its list, so that all are drawn.
  const x = v.name;
  const reduction = (['sum', 'mean', 'max', 'min'] as const)[Math.floor(seed / 9) % 4]!;
  const arithmetic = [
    `${x} - ${x} * 0.5 + 1`,
    `${x} / (abs(${x}) + 1)`,
    `exp(clip(${x}, -3, 2))`,
    `log(square(${x}) + 1)`,
    `sqrt(abs(${x}) + 0.5) - pow(${x}, 3)`,
    `2 / (square(${x}) + 1)`,
    `-${x} * 2`,
    `${x} - ${reduction}(${x}, axis: -1, keepdims: true)`,
    `${x} * ${reduction}(${x}, axis: ${pick(['1', '-1', '[1, -1]'])}, keepdims: true)`,
  ];
  v = bind(arithmetic[seed % arithmetic.length]!, v);
  const last = ACTIVATION_NAMES[seed % ACTIVATION_NAMES.length]!;
  const a = alpha(last);
  v = bind(a === undefined ? `${last}(${v.name})` : `${last}(${v.name}, ${a})`, v);
  // Reduce to features.
  if (v.kind === 'seq') {
    const reduce = pick(['global_avgpool', 'global_maxpool', 'rnn', 'lstm', 'gru']);
    // A reducing gru is Keras' and PyTorch's (two biases), the per-step one nnet's first GRU.
    const call = reduce === 'gru' ? `gru(${v.name}, 3, reset_after: true)` : `${reduce}(${v.name}, 3)`;
    v = reduce.startsWith('global') ? bind(`${reduce}(${v.name})`, { kind: 'vec', features: v.features }) : bind(call, { kind: 'vec', features: 3 });
  } else if (v.kind === 'img') {
    const reduce = pick(['global_avgpool', 'global_maxpool', 'flatten']);
    v = bind(`${reduce}(${v.name})`, { kind: 'vec', features: reduce === 'flatten' ? v.features * v.hw![0] * v.hw![1] : v.features });
  }
  return [`model Random${seed} {`, ...header, ...lines, `  output y = dense(${v.name}, ${int(1, 4)})`, '}', ''].join('\n');
}
