import { RECURRENT_CELL_NAMES } from '../../runtime/plan/kernels.js';
import type { Expr, SourceRange } from '../../grammar/ast.js';
import type { ParamInfo } from '../ir/graph.js';
import type { InitSpec } from '../ir/types.js';
import { formatShape } from '../shapes/dims.js';
import type { ActivationArg, OpCall, OpDef } from '../ops/types.js';
import { matchArgs, type EvaluatedArg } from './args.js';
import type { Evaluator, Naming } from './evaluate.js';
import { ERROR, type TensorValue, type Value } from './values.js';

/** Ops whose rank-3 output is a sequence [batch, steps, features], never an image. */
const SEQUENCE_OPS: ReadonlySet<string> = new Set([...RECURRENT_CELL_NAMES, 'conv1d', 'embedding', 'multi_head_attention', 'positional_encoding', 'position_embedding']);

/**
 * Applies a layer op: matches its arguments, runs its shape rule (reporting a failure at the call
 * with a note where the input's shape came from), creates its parameter nodes (checking literal
 * weights against their shapes) and its layer node, and records hover facts.
 */
export function applyOp(ev: Evaluator, op: OpDef, args: EvaluatedArg[], site: Expr, naming: Naming): Value {
  const { reporter } = ev.ctx;
  const matched = matchArgs(op.name, op.params, args, site.range, ev.matchContext);
  if (!matched.ok) return ERROR;
  const call: OpCall = { inputs: matched.tensors.map((t) => t.type), args: matched.values, given: new Set(matched.ranges.keys()) };
  const result = op.infer(call);
  if (!result.ok) {
    const culprit = matched.tensors[result.input ?? 0];
    const actual = result.actual ?? (culprit ? formatShape(culprit.type.shape) : '?');
    const related = culprit ? [{ message: `'${culprit.name}' gets its shape ${formatShape(culprit.type.shape)} here`, range: culprit.origin }] : [];
    // A sequence of fixed length ([batch, 20, 16] out of an lstm) is not an image: flattening it
    // would mix the time steps. The per-step form needs the length as a symbolic dim.
    const sequence = result.insertBefore === 'flatten' && culprit !== undefined && culprit.type.shape.length === 3 && SEQUENCE_OPS.has(culprit.lastOp);
    if (sequence) {
      related.push({ message: `for a ${op.name} at every step, declare the sequence length as a symbolic dim ([batch, seq, ...]) instead of ${String(culprit.type.shape[1])}`, range: culprit.origin });
    }
    const expected = sequence ? `${result.expected}, or [batch, seq, features] with a symbolic seq` : result.expected;
    const fix = result.insertBefore && culprit && !sequence ? insertFix(result.insertBefore, op.name, site, args[0]!) : undefined;
    reporter.report('NN2003', [op.name, expected, actual], site.range, { related, ...(fix ? { fix } : {}) });
    return ERROR;
  }

  const type = result.type;
  const weights = op.weights?.(call) ?? [];
  for (const weight of weights) {
    const literal = matched.literals.get(weight.name);
    if (literal && formatShape(literal.shape) !== formatShape(weight.shape)) {
      reporter.report('NN2013', [weight.name, formatShape(literal.shape), op.name, formatShape(weight.shape)], literal.range);
      return ERROR;
    }
  }

  const builder = ev.builder;
  const layer = builder.uniqueLayer(site === naming.final ? (naming.finalName ?? naming.base) : `${naming.base}/${op.name}`);
  const origin = { range: site.range, layer, op: op.name };
  const regularize = regularization(matched.values);
  let paramCount = 0;
  const paramNodes: number[] = [];
  for (const weight of weights) {
    const given = matched.values[weight.name];
    if (given === false) continue;
    const init = (given ?? weight.init) as InitSpec;
    const reg = weight.regularized ? regularize : undefined;
    const tie = matched.ties.get(weight.name);
    if (tie) {
      const tied = tiedWeight(ev, tie.layer, weight.name);
      const read = tied && tie.transpose ? [...tied.shape].reverse() : tied?.shape;
      if (!tied || !read || formatShape(read) !== formatShape(weight.shape) || (tie.transpose && tied.shape.length !== 2)) {
        const got = !tied
          ? `no weight (its ${builder.graph.nodes[tie.layer.node]!.op} has ${tied === undefined ? 'none' : 'several'})`
          : tie.transpose && tied.shape.length !== 2
            ? `'${tied.name}' of shape ${formatShape(tied.shape)}, which transpose: true cannot read (only a 2-D weight transposes)`
            : `'${tied.name}' of shape ${formatShape(tied.shape)}${tie.transpose ? `, read transposed as ${formatShape(read!)}` : ''}`;
        const related = [{ message: `'${tie.layer.name}' is computed here`, range: tie.layer.origin }];
        reporter.report('NN2031', [tie.layer.name, got, weight.name, op.name, formatShape(weight.shape)], tie.range, { related });
        return ERROR;
      }
      // Counted once, where it was made; trained (or frozen) as it is there. Transposed, it is read
      // through a transpose node (no parameters), so gradients flow back into the one tensor.
      paramNodes.push(tie.transpose ? transposedWeight(ev, tied.node, read!, tie.range, `${layer}/transpose`) : tied.node);
      continue;
    }
    const trainable = weight.trainable && matched.values.frozen !== true && !builder.frozen();
    const ref = builder.weight(`${layer}.${weight.name}`, weight.shape, init, trainable, origin, reg);
    if ('clash' in ref) {
      const block = builder.sharedBlock() ?? '?';
      const first = { message: `'${ref.clash.name}' is ${formatShape(ref.clash.shape)} at the block's first use here`, range: ref.clash.range };
      reporter.report('NN2030', [block, weight.name, op.name, formatShape(weight.shape), formatShape(ref.clash.shape)], site.range, { related: [first] });
      return ERROR;
    }
    paramNodes.push(ref.node);
    // A shared weight counts once, at the use that made it.
    if (ref.fresh) paramCount += weight.shape.reduce((a, b) => a * b, 1);
  }
  const node = builder.addLayer(op.name, [...matched.tensors.map((t) => t.node), ...paramNodes], op.attrs(call, type), type, origin, paramCount);
  const flops = op.flops(call, type);
  ev.ctx.values.add({
    range: site.range,
    type,
    op: op.name,
    inputTypes: call.inputs,
    params: paramCount,
    ...(flops !== null ? { flopsPerSample: flops } : {}),
  });
  const activation = matched.values.activation as ActivationArg | undefined;
  const lastOp = activation && activation.name !== 'linear' ? activation.name : op.name;
  const value: TensorValue = { kind: 'tensor', node, type, origin: site.range, name: layer, lastOp };
  return value;
}

/**
 * The weight `tied(value)` names: of the layer that computed `value`, the weight of the same role
 * (`weight` for `weight`), else its only one; null when it has several and none of that role,
 * undefined when it has none.
 */
function tiedWeight(ev: Evaluator, layer: TensorValue, role: string): { node: number; name: string; shape: number[] } | null | undefined {
  const { graph } = ev.builder;
  const weights = graph.nodes[layer.node]!.inputs.flatMap((id) => {
    const info = graph.params.find((p) => p.node === id);
    return info ? [{ node: id, name: info.name, shape: graph.nodes[id]!.type.shape as number[] }] : [];
  });
  if (weights.length === 0) return undefined;
  return weights.find((w) => w.name.endsWith(`.${role}`)) ?? (weights.length === 1 ? weights[0]! : null);
}

/** A layer node reading a tied 2-D weight transposed (the `transpose` op, lowered to a strided read). */
function transposedWeight(ev: Evaluator, weight: number, shape: number[], range: SourceRange, name: string): number {
  const layer = ev.builder.uniqueLayer(name);
  return ev.builder.addLayer('transpose', [weight], { axes: [1, 0] }, { shape, dtype: 'f32' }, { range, layer, op: 'transpose' }, 0);
}

function regularization(values: Record<string, unknown>): ParamInfo['regularize'] | undefined {
  const l1 = typeof values.l1 === 'number' ? values.l1 : 0;
  const l2 = typeof values.l2 === 'number' ? values.l2 : 0;
  if (l1 === 0 && l2 === 0) return undefined;
  return { ...(l1 !== 0 ? { l1 } : {}), ...(l2 !== 0 ? { l2 } : {}) };
}

/**
 * The repair for a rank error: in a pipeline (`image |> dense(...)`) insert the stage before the
 * op; in a call (`dense(image, ...)`) pipe the first argument through it.
 */
function insertFix(stage: string, op: string, site: Expr, first: EvaluatedArg) {
  const isStage = site.kind === 'Name' || (site.kind === 'Call' && first.range.end <= site.range.start);
  const edit = isStage
    ? { range: { start: site.range.start, end: site.range.start }, newText: `${stage} |> ` }
    : { range: { start: first.range.end, end: first.range.end }, newText: ` |> ${stage}` };
  return { title: `Insert ${stage} before ${op}`, edits: [edit] };
}
