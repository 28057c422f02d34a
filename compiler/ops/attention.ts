import { formatShape, sameDim } from '../shapes/dims.js';
import { GLOROT, int, MAX_UNITS, weightTrainingParams, tensorParam, weightParam, ZEROS } from './common.js';
import type { TensorType } from '../ir/types.js';
import { expects, ok, type OpCall, type OpDef, type WeightDef } from './types.js';

/**
 * multi_head_attention(x, heads, causal = false, context: none, key_mask: none, mask: none, wq:, wk:, wv:, wo: = glorot_uniform, bq:, bk:, bv:, bo: = zeros)
 *
 * Self-attention over a sequence: [batch, seq, d_model] → [batch, seq, d_model]; d_model must be a
 * multiple of heads. `causal: true` masks future positions (a decoder). `context: enc` makes it
 * cross-attention: queries from x, keys and values from enc [batch, seq_k, d_model] (its own length).
 * `key_mask: m` [batch, seq_k] hides the keys where m is 0 (Keras' and Hugging Face's sense: 1 = attend;
 * PyTorch's key_padding_mask is the opposite, true = ignore); `mask: m` [batch, seq, seq_k] does the
 * same per query (Keras' attention_mask). One of the two masks per call.
 *
 * IR form: inputs [x, context?, key_mask? or mask?, wq, bq, wk, bk, wv, bv, wo, bo] (each w [d_model, d_model],
 * each b [d_model]); attrs { heads, causal, cross?, masked? } (cross and masked only when true: which
 * optional inputs are there).
 */

const PROJECTIONS = ['q', 'k', 'v', 'o'] as const;

/** The call's tensors by role: x, then the context, the key mask and the mask where the call gives them (in that order). */
function tensorsOf(call: OpCall): { x: TensorType; context?: TensorType; keyMask?: TensorType; mask?: TensorType } {
  const [x, ...rest] = call.inputs;
  const context = call.given?.has('context') ? rest.shift() : undefined;
  const keyMask = call.given?.has('key_mask') ? rest.shift() : undefined;
  const mask = call.given?.has('mask') ? rest.shift() : undefined;
  return { x: x!, ...(context ? { context } : {}), ...(keyMask ? { keyMask } : {}), ...(mask ? { mask } : {}) };
}

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
    {
      name: 'key_mask',
      kind: 'tensor',
      doc: 'A [batch, seq_k] mask of the keys: 1 = attend, 0 = ignore (padding), as Keras and Hugging Face; PyTorch\'s key_padding_mask is the opposite.',
      default: null,
      defaultText: 'none (every key)',
      namedOnly: true,
    },
    {
      name: 'mask',
      kind: 'tensor',
      doc: 'A [batch, seq, seq_k] mask per query and key: 1 = attend, 0 = ignore (Keras\' attention_mask; PyTorch\'s attn_mask as bool is the opposite). Instead of key_mask.',
      default: null,
      defaultText: 'none (every key)',
      namedOnly: true,
    },
    ...PROJECTIONS.map((p) => weightParam(`w${p}`, `The [d_model, d_model] ${p} projection.`, GLOROT)),
    ...PROJECTIONS.map((p) => weightParam(`b${p}`, `The [d_model] ${p} bias.`, ZEROS)),
    ...weightTrainingParams,
  ],
  shapeRule: '[batch, seq, d_model], context [batch, seq_k, d_model], key_mask [batch, seq_k] or mask [batch, seq, seq_k] → [batch, seq, d_model]',
  irForm: 'inputs [x, context?, key_mask? or mask?, wq, bq, wk, bk, wv, bv, wo, bo]; attrs { heads, causal, cross?, masked? }',
  infer(call) {
    const { args } = call;
    const { x, context, keyMask, mask } = tensorsOf(call);
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
    if (keyMask) {
      const keys = (context ?? x!).shape[1]!;
      if (keyMask.shape.length !== 2 || !sameDim(keyMask.shape[0]!, x!.shape[0]!) || !sameDim(keyMask.shape[1]!, keys)) {
        return expects(`a key_mask [${x!.shape[0]}, ${keys}] (batch, and the keys' length${context ? ' from the context' : ''})`, {
          actual: `key_mask ${formatShape(keyMask.shape)}`,
          input: context ? 2 : 1,
        });
      }
    }
    if (mask) {
      const keys = (context ?? x!).shape[1]!;
      const want = [x!.shape[0]!, x!.shape[1]!, keys];
      if (keyMask) return expects('a key_mask or a mask, not both (fold the key mask into the mask)', { actual: 'both', input: context ? 3 : 2 });
      if (mask.shape.length !== 3 || !mask.shape.every((d, i) => sameDim(d, want[i]!))) {
        return expects(`a mask ${formatShape(want)} (batch, queries, keys${context ? ' from the context' : ''})`, { actual: `mask ${formatShape(mask.shape)}`, input: context ? 2 : 1 });
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
  attrs(call) {
    const { context, keyMask, mask } = tensorsOf(call);
    return { heads: int(call, 'heads'), causal: call.args.causal as boolean, ...(context ? { cross: true } : {}), ...(keyMask || mask ? { masked: true } : {}) };
  },
  flops(call) {
    const [, seq, d] = call.inputs[0]!.shape;
    if (typeof seq !== 'number' || typeof d !== 'number') return null;
    return 8 * seq * d * d + 4 * seq * seq * d + 5 * int(call, 'heads') * seq * seq;
  },
};
