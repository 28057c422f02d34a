import { formatShape, sameDim } from '../shapes/dims.js';
import { GLOROT, int, MAX_UNITS, weightTrainingParams, tensorParam, weightParam, ZEROS } from './common.js';
import { expects, ok, type OpDef, type WeightDef } from './types.js';

/**
 * multi_head_attention(x, heads, causal = false, context: none, wq:, wk:, wv:, wo: = glorot_uniform, bq:, bk:, bv:, bo: = zeros)
 *
 * Self-attention over a sequence: [batch, seq, d_model] → [batch, seq, d_model]; d_model must be a
 * multiple of heads. `causal: true` masks future positions (a decoder). `context: enc` makes it
 * cross-attention: queries from x, keys and values from enc [batch, seq_k, d_model] (its own length).
 *
 * IR form: inputs [x, context?, wq, bq, wk, bk, wv, bv, wo, bo] (each w [d_model, d_model], each b
 * [d_model]; the context is there only when given, so the input count says which form); attrs { heads, causal }.
 */

const PROJECTIONS = ['q', 'k', 'v', 'o'] as const;

export const multi_head_attention: OpDef = {
  name: 'multi_head_attention',
  category: 'layer',
  doc: 'Multi-head scaled dot-product self-attention with query, key, value and output projections.',
  params: [
    tensorParam(),
    { name: 'heads', kind: 'int', doc: 'Number of attention heads (divides d_model).', min: 1, max: MAX_UNITS },
    { name: 'causal', kind: 'bool', doc: 'Mask attention to later positions.', default: false },
    {
      name: 'context',
      kind: 'tensor',
      doc: 'Cross-attention: keys and values come from this [batch, seq_k, d_model] tensor (e.g. an encoder\'s output); absent, from x.',
      default: null,
      defaultText: 'none (self-attention)',
      namedOnly: true,
    },
    ...PROJECTIONS.map((p) => weightParam(`w${p}`, `The [d_model, d_model] ${p} projection.`, GLOROT)),
    ...PROJECTIONS.map((p) => weightParam(`b${p}`, `The [d_model] ${p} bias.`, ZEROS)),
    ...weightTrainingParams,
  ],
  shapeRule: '[batch, seq, d_model], context [batch, seq_k, d_model] → [batch, seq, d_model]',
  irForm: 'inputs [x, context?, wq, bq, wk, bk, wv, bv, wo, bo]; attrs { heads, causal }',
  infer({ inputs: [x, context], args }) {
    if (x!.shape.length !== 3) return expects('[batch, seq, d_model]');
    if (x!.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x!.shape)} int` });
    const d = x!.shape[2];
    if (typeof d !== 'number') return expects('a known d_model in the last axis');
    const heads = args.heads as number;
    if (d % heads !== 0) return expects(`d_model divisible by heads (${heads})`, { actual: `d_model ${d}` });
    if (context) {
      const want = `a context [${x!.shape[0]}, seq_k, ${d}] (the batch and d_model of x)`;
      const actual = `context ${formatShape(context.shape)}${context.dtype === 'f32' ? '' : ' int'}`;
      if (context.shape.length !== 3 || context.dtype !== 'f32' || context.shape[2] !== d || !sameDim(context.shape[0]!, x!.shape[0]!)) {
        return expects(want, { actual, input: 1 });
      }
    }
    return ok(x!.shape);
  },
  weights(call) {
    const d = call.inputs[0]!.shape[2] as number;
    const weights: WeightDef[] = [];
    for (const p of PROJECTIONS) {
      weights.push({ name: `w${p}`, shape: [d, d], init: GLOROT, trainable: true, regularized: true });
      weights.push({ name: `b${p}`, shape: [d], init: ZEROS, trainable: true, regularized: false });
    }
    return weights;
  },
  attrs: (call) => ({ heads: int(call, 'heads'), causal: call.args.causal as boolean }),
  flops(call) {
    const [, seq, d] = call.inputs[0]!.shape;
    if (typeof seq !== 'number' || typeof d !== 'number') return null;
    return 8 * seq * d * d + 4 * seq * seq * d + 5 * int(call, 'heads') * seq * seq;
  },
};
