import { fusedKernelName, parseKernelName, POOL_EPILOGUE } from '../../runtime/plan/kernels.js';
import type { IRNode } from '../ir/graph.js';
import { primitiveRule } from '../ir/primitives.js';
import type { Attrs } from '../ir/types.js';
import type { Program } from './program.js';
import { consumersOf } from './program.js';

/**
 * Epilogue fusion: matmul / conv, then bias_add, then an element-wise activation, become one step
 * (`matmul+bias+relu`) that adds the bias and applies the activation in registers.
 *
 * Each intermediate must be read only by the next op of the group. Two readers are allowed besides:
 * - the matmul/conv result is never needed by the backward pass (its gradients read the operands);
 * - the pre-activation is read by the activation's gradient only for gelu and silu (the others derive
 *   their gradient from the output); then the fused step also writes the pre-activation as its
 *   optional second output, and the gradient reads that. So training plans fuse as fully as
 *   inference plans.
 * Anything else (a model output, a second layer reading the intermediate) refuses the fusion, and the
 * refusal is recorded with its reason and source location for `--explain`.
 *
 * A 2-D convolution's group then takes the max pooling that reads it (`conv2d+bias+relu+maxpool`,
 * kernels.ts POOL_EPILOGUE) when the pool's windows tile the map without padding (size = strides,
 * 'valid', or 'same' where the windows divide the map) and nothing else reads the unpooled values.
 * The pooled step keeps no unpooled output, so training plans, whose activation and pool gradients
 * read those values, keep the pool apart (a refusal says so).
 */
export function fuseEpilogues(program: Program): Program {
  const { graph } = program;
  const consumers = consumersOf(graph);
  const outputNames = new Map(graph.outputs.map((o) => [o.node, o.name]));
  const backward = program.training?.backwardNodes ?? new Set<number>();
  const removed = new Set<number>();
  const inserted = new Map<number, IRNode[]>();
  let nextId = graph.nodes.reduce((max, n) => Math.max(max, n.id), -1) + 1;

  const readersOf = (id: number): IRNode[] => consumers[id] ?? [];
  const describe = (reader: IRNode): string => `'${reader.origin.layer}' (${reader.op})`;

  /** Fuses the group that starts at a matmul or conv, or records why not. */
  const fuseFrom = (head: IRNode): void => {
    const refuse = (kernel: string, reason: string): void => {
      program.explain.push({ kind: 'refused', kernel, layer: head.origin.layer, op: head.origin.op, range: head.origin.range, reason });
    };
    const group: IRNode[] = [head];
    let tail = head;
    const epilogue: string[] = [];
    let kernel = head.op;
    let inputs = [...head.inputs];
    const attrs: Attrs = { ...head.attrs };

    const next = readersOf(tail.id);
    const bias = next.length === 1 && next[0]!.op === 'bias_add' && next[0]!.inputs[0] === tail.id ? next[0]! : null;
    if (bias) {
      if (outputNames.has(tail.id)) refuse(fusedKernelName(head.op, ['bias']), `the ${head.op} result is the model output '${outputNames.get(tail.id)}'`);
      else {
        group.push(bias);
        inputs.push(bias.inputs[1]!);
        epilogue.push('bias');
        kernel = fusedKernelName(head.op, epilogue);
        tail = bias;
      }
    } else if (next.some((r) => r.op === 'bias_add')) {
      refuse(fusedKernelName(head.op, ['bias']), `the ${head.op} result is also read by ${next.filter((r) => r.op !== 'bias_add').map(describe).join(', ')}`);
    }

    let preReaders: IRNode[] = [];
    const afterTail = readersOf(tail.id);
    const activation = afterTail.find((r) => primitiveRule(r.op)?.activation && r.inputs[0] === tail.id && !backward.has(r.id));
    if (activation && tail === group[group.length - 1]) {
      const others = afterTail.filter((r) => r !== activation);
      preReaders = others.filter((r) => r.op === `${activation.op}_grad` && r.inputs[1] === tail.id);
      const blockers = others.filter((r) => !preReaders.includes(r));
      const candidate = fusedKernelName(head.op, [...epilogue, activation.op]);
      if (outputNames.has(tail.id)) refuse(candidate, `the pre-activation is the model output '${outputNames.get(tail.id)}'`);
      else if (blockers.length > 0) refuse(candidate, `the pre-activation is also read by ${blockers.map(describe).join(', ')}`);
      else {
        group.push(activation);
        kernel = candidate;
        if (typeof activation.attrs.alpha === 'number') attrs.alpha = activation.attrs.alpha;
        tail = activation;
      }
    }
    // Named only for the kernels that take a pooled epilogue (a name per matmul is garbage to collect).
    const pooled = primitiveRule(head.op)?.poolEpilogue && preReaders.length === 0 ? fusedKernelName(head.op, [...parseKernelName(kernel).epilogue, POOL_EPILOGUE]) : null;
    const pool = pooled === null ? null : poolReading(pooled, tail, refuse);
    if (pool && pooled !== null) {
      group.push(pool);
      kernel = pooled;
      attrs.pool = [...(pool.attrs.size as number[])];
      tail = pool;
    }
    if (group.length === 1) return;

    // The fused node takes the id of the group's last node, so its readers need no rewiring.
    const fused: IRNode = { id: tail.id, op: kernel, inputs, attrs, type: tail.type, origin: head.origin };
    const extra: IRNode[] = [fused];
    let reason: string | undefined;
    if (preReaders.length > 0) {
      const preNode = group[group.length - 2]!;
      const preId = preNode.id;
      const pre: IRNode = { id: nextId++, op: 'output_of', inputs: [fused.id], attrs: { index: 1 }, type: preNode.type, origin: head.origin };
      extra.push(pre);
      for (const reader of preReaders) reader.inputs = reader.inputs.map((i) => (i === preId ? pre.id : i));
      reason = `also writes the pre-activation for ${preReaders[0]!.op}`;
    }
    for (const node of group) removed.add(node.id);
    inserted.set(tail.id, extra);
    program.explain.push({ kind: 'fused', kernel, layer: head.origin.layer, op: head.origin.op, range: head.origin.range, ...(reason ? { reason } : {}) });
  };

  /** The maxpool2d that the group ending at `tail` may pool in its epilogue, or null (a refusal recorded when one reads it but cannot join). */
  const poolReading = (candidate: string, tail: IRNode, refuse: (kernel: string, reason: string) => void): IRNode | null => {
    const readers = readersOf(tail.id);
    const pool = readers.find((r) => r.op === 'maxpool2d' && r.inputs[0] === tail.id && !backward.has(r.id));
    if (!pool) return null;
    const others = readers.filter((r) => r !== pool);
    const windows = poolWindowProblem(pool, tail);
    if (windows) refuse(candidate, windows);
    else if (outputNames.has(tail.id)) refuse(candidate, `the unpooled value is the model output '${outputNames.get(tail.id)}'`);
    else if (others.length > 0) {
      const why = others.some((r) => backward.has(r.id)) ? ': the pooled step keeps no unpooled values for the gradients' : '';
      refuse(candidate, `the unpooled value is also read by ${others.map(describe).join(', ')}${why}`);
    } else return pool;
    return null;
  };

  // Index loops over the nodes (here and below): no iterator result per node while this runs unoptimised;
  // the group's work is a function of its own, so its closures' scope is made per group, not per node.
  for (let h = 0; h < graph.nodes.length; h++) {
    const head = graph.nodes[h]!;
    if (primitiveRule(head.op)?.epilogue && !backward.has(head.id)) fuseFrom(head);
  }

  const nodes: IRNode[] = [];
  for (let n = 0; n < graph.nodes.length; n++) {
    const node = graph.nodes[n]!;
    const replacement = inserted.get(node.id);
    if (replacement) for (let r = 0; r < replacement.length; r++) nodes.push(replacement[r]!);
    else if (!removed.has(node.id)) nodes.push(node);
  }
  graph.nodes = nodes;
  return program;
}

/**
 * Why a maxpool2d cannot be the pooling epilogue of the map `x` it reads, or null: the epilogue
 * pools non-overlapping windows at stride = window with no padding. 'same' padding adds none when
 * the windows divide the map's (known) height and width, so that pool fuses too.
 */
function poolWindowProblem(pool: IRNode, x: IRNode): string | null {
  const size = pool.attrs.size as number[];
  const strides = pool.attrs.strides as number[];
  if (size.length !== 2 || strides.length !== 2 || size.some((s, i) => s !== strides[i])) {
    return `the pool's windows [${size.join(', ')}] move by strides [${strides.join(', ')}]; a pooled epilogue needs stride = window`;
  }
  if (pool.attrs.padding === 'valid') return null;
  const [, h, w] = x.type.shape;
  if (typeof h === 'number' && typeof w === 'number' && h % size[0]! === 0 && w % size[1]! === 0) return null;
  return `the pool pads ('${String(pool.attrs.padding)}' padding on a ${String(h)}×${String(w)} map with windows [${size.join(', ')}]); a pooled epilogue drops what fills no whole window`;
}
