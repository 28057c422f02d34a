import type { GradRule } from '../grad-rule.js';

/** strided_read and strided_write are each other's gradient: the same axis map, the other direction. */
const stridedRead: GradRule = (b, node, dy) => [b.add('strided_write', [dy], { ...node.attrs, shape: b.type(node.inputs[0]!).shape }, node.origin)];

const stridedWrite: GradRule = (b, node, dy) => [b.add('strided_read', [dy], { ...node.attrs, shape: b.type(node.inputs[0]!).shape }, node.origin)];

/** pad_reflect: every x position collects the gradient of the padded positions that mirror it. */
const padReflect: GradRule = (b, node, dy) => [b.add('pad_reflect_grad', [dy], { ...node.attrs, shape: b.type(node.inputs[0]!).shape }, node.origin)];

export const stridedGrads: Record<string, GradRule> = { strided_read: stridedRead, strided_write: stridedWrite, pad_reflect: padReflect };
