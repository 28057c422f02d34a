import { fusedKernelName } from '../../runtime/plan/kernels.js';
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
