import { ACTIVATION_NAMES, isActivation } from '../../runtime/plan/activations.js';
import type { Attrs } from '../ir/types.js';
import { LoweringError, type LowerContext, type LowerRule } from './lower-context.js';

/** Element-wise activations (the kernel table's), and softmax, which the language treats as an activation. */

/** Appends `activation` (by name) after `x`; `linear` and none add nothing. */
export function applyActivation(ctx: LowerContext, x: number, activation: { name: string; alpha?: number } | null): number {
  if (!activation || activation.name === 'linear') return x;
  const attrs: Attrs = activation.alpha !== undefined ? { alpha: activation.alpha } : {};
  if (activation.name === 'softmax' || activation.name === 'log_softmax') return ctx.builder.add(activation.name, [x], {}, ctx.node.origin);
  if (!isActivation(activation.name)) throw new Error(`unknown activation '${activation.name}'`);
  return ctx.builder.add(activation.name, [x], attrs, ctx.node.origin);
}

const activationLayer: LowerRule = (ctx) => {
  const rank = ctx.builder.type(ctx.inputs[0]!).shape.length;
  const axis = ctx.node.attrs.axis;
  if (typeof axis === 'number' && axis !== rank - 1 && axis !== -1) {
    throw new LoweringError(`${ctx.node.op} over axis ${axis} is not supported by the back end yet (only the last axis)`, ctx.node.origin.layer, ctx.node.origin.range);
  }
  const alpha = ctx.node.attrs.alpha;
  return applyActivation(ctx, ctx.inputs[0]!, { name: ctx.node.op, ...(typeof alpha === 'number' ? { alpha } : {}) });
};

export const activationRules: Record<string, LowerRule> = Object.fromEntries(
  [...ACTIVATION_NAMES, 'softmax', 'log_softmax'].map((op) => [op, activationLayer]),
);
