import type { CheckedModel, CheckResult } from '../../../compiler/api-types.js';
import type { ExplainEntry } from '../../../compiler/compile.js';
import type { IRNode } from '../../../compiler/ir/graph.js';
import type { SourceRange } from '../../../grammar/ast.js';
import { parseKernelName, POOL_EPILOGUE } from '../../../runtime/plan/kernels.js';

/**
 * What `nnet graph` draws, whatever the format: one node per layer (never the parameter and
 * constant nodes: they are the layer's parameter count), the model's inputs and outputs, the loss
 * of the train section with its label input drawn into it, block expansions as nested clusters, and
 * the layers the compiler fuses marked with their kernel. dot.ts, mermaid.ts and svg.ts only lay
 * this out.
 */
export interface LayerGraph {
  name: string;
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  /** Block expansions, an enclosing one before those inside it. */
  clusters: Cluster[];
}

type NodeKind = 'input' | 'label' | 'layer' | 'loss' | 'output';

export interface DrawnNode {
  id: string;
  kind: NodeKind;
  /** The name the user wrote (`logits`, `attended`), or `features · stage 2` for an anonymous pipeline stage. */
  title: string;
  /** The op (`conv2d`), `input`, `output`, or the loss kind. */
  op: string;
  /** `[batch, 28, 28, 16]`, `[batch] int`; empty for outputs and the loss. */
  shape: string;
  activation?: string;
  params: number;
  /** The fused kernel this layer becomes (`conv2d+bias+relu`). */
  fused?: string;
  /** Index into `clusters` of the innermost block expansion holding this node. */
  cluster?: number;
}

interface DrawnEdge {
  from: string;
  to: string;
  /** Edges into the loss: training only. */
  training?: boolean;
}

interface Cluster {
  /** `decoder`, or `decoder #2` when the block is expanded more than once. */
  label: string;
  parent?: number;
}

/**
 * The model's layer graph with every fact the drawings show. `explain` is the compiler's list of
 * fused groups (`compileModel(...).explain`); leave it empty to draw without fusion.
 */
export function layerGraph(check: CheckResult, model: CheckedModel, explain: readonly ExplainEntry[] = []): LayerGraph {
  const { graph } = model;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const hidden = (id: number): boolean => {
    const op = byId.get(id)?.op;
    return op === 'param' || op === 'const';
  };
  const inputs = new Map(graph.inputs.map((i) => [i.node, i]));
  const stages = pipelineStages(check);
  const fused = new Map(explain.filter((e) => e.kind === 'fused').map((e) => [e.layer, e.kernel]));
  const clusters = clustersOf(model);

  const nodes: DrawnNode[] = [];
  const edges: DrawnEdge[] = [];
  for (const node of graph.nodes) {
    if (hidden(node.id)) continue;
    const input = inputs.get(node.id);
    const cluster = innermostCluster(model, node.id);
    const drawn: DrawnNode = input
      ? { id: `n${node.id}`, kind: input.labelOnly ? 'label' : 'input', title: input.name, op: 'input', shape: shapeText(node), params: 0 }
      : {
          id: `n${node.id}`,
          kind: 'layer',
          title: layerTitle(node, model, cluster, stages),
          op: node.op,
          shape: shapeText(node),
          params: paramCount(node, byId),
        };
    const activation = nodeActivation(node);
    if (activation) drawn.activation = activation;
    const kernel = fused.get(node.origin.layer);
    if (kernel) drawn.fused = kernel;
    if (cluster !== undefined) drawn.cluster = cluster;
    nodes.push(drawn);
    for (const source of node.inputs) if (!hidden(source)) edges.push({ from: `n${source}`, to: `n${node.id}` });
  }
  markFusedActivations(nodes, edges);
  for (const output of graph.outputs) {
    nodes.push({ id: `out_${output.name}`, kind: 'output', title: output.name, op: 'output', shape: '', params: 0 });
    edges.push({ from: `n${output.node}`, to: `out_${output.name}` });
  }
  const loss = model.train?.loss;
  if (loss) {
    nodes.push({ id: 'loss', kind: 'loss', title: 'loss', op: loss.kind, shape: '', params: 0 });
    edges.push({ from: `n${loss.pred}`, to: 'loss', training: true }, { from: `n${loss.target}`, to: 'loss', training: true });
  }
  return { name: model.name, nodes, edges, clusters: clusters.map(({ label, parent }) => (parent === undefined ? { label } : { label, parent })) };
}

/**
 * The compiler names a fused group after the layer that starts it; the epilogue elements the layer
 * does not apply itself are the layers that read it, in order: an activation layer (`logit =
 * dense(1)` then `sigmoid(logit)`: kernel matmul+bias+sigmoid) and a max pooling layer
 * (`conv2d+bias+relu+maxpool`: the maxpool2d after the convolution). Those layers are in the group too.
 */
function markFusedActivations(nodes: DrawnNode[], edges: readonly DrawnEdge[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) {
    if (!node.fused) continue;
    const elements = parseKernelName(node.fused).epilogue.filter((e) => e !== 'bias' && e !== node.activation);
    let from = node;
    for (const element of elements) {
      const op = element === POOL_EPILOGUE ? 'maxpool2d' : element;
      const reader = edges.map((e) => (e.from === from.id ? byId.get(e.to) : undefined)).find((r) => r?.kind === 'layer' && r.op === op && !r.fused);
      if (!reader) break;
      reader.fused = node.fused;
      from = reader;
    }
  }
}

/** `[batch, 28, 28]`, `[batch, seq] int`. */
function shapeText(node: IRNode): string {
  return `[${node.type.shape.join(', ')}]${node.type.dtype === 'i32' ? ' int' : ''}`;
}

function paramCount(node: IRNode, byId: ReadonlyMap<number, IRNode>): number {
  let count = 0;
  for (const id of node.inputs) {
    const source = byId.get(id);
    if (source?.op === 'param') count += source.type.shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  }
  return count;
}

/** A layer's own activation (`dense(256, relu)` → relu); none for linear. */
function nodeActivation(node: IRNode): string | undefined {
  const value = node.attrs['activation'];
  const name = typeof value === 'string' ? value : value && typeof value === 'object' && !Array.isArray(value) ? value['name'] : undefined;
  return typeof name === 'string' && name !== 'linear' ? name : undefined;
}

interface ClusterInfo {
  label: string;
  parent?: number;
  name: string;
  first: number;
  end: number;
}

function clustersOf(model: CheckedModel): ClusterInfo[] {
  const counts = new Map<string, number>();
  for (const b of model.blocks) counts.set(b.block, (counts.get(b.block) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out: ClusterInfo[] = [];
  model.blocks.forEach((b, i) => {
    const n = (seen.get(b.block) ?? 0) + 1;
    seen.set(b.block, n);
    const info: ClusterInfo = { label: (counts.get(b.block) ?? 0) > 1 ? `${b.block} #${n}` : b.block, name: b.name, first: b.first, end: b.end };
    // The enclosing expansion is the latest earlier one that still holds this one's first node.
    for (let j = i - 1; j >= 0; j--) {
      const outer = model.blocks[j]!;
      if (outer.first <= b.first && b.end <= outer.end) {
        info.parent = j;
        break;
      }
    }
    out.push(info);
  });
  return out;
}

function innermostCluster(model: CheckedModel, id: number): number | undefined {
  let found: number | undefined;
  model.blocks.forEach((b, i) => {
    if (b.first <= id && id < b.end) found = i;
  });
  return found;
}

/**
 * The name the user wrote for a layer. Layer names are paths (`features/conv2d_2`,
 * `h/decoder/attended`): a block's layers drop the expansion's prefix, and a pipeline stage the
 * checker had to name (`<value>/<op>`, `<value>/<op>_2`) is shown as `<value> · stage N`.
 */
function layerTitle(node: IRNode, model: CheckedModel, cluster: number | undefined, stages: ReadonlyMap<string, number>): string {
  let layer = node.origin.layer;
  if (cluster !== undefined) {
    const expansion = model.blocks[cluster]!;
    if (layer === expansion.name) {
      const last = lastSegment(layer);
      return new RegExp(`^${escapeRegExp(expansion.block)}(_\\d+)?$`).test(last) ? 'return' : last;
    }
    if (layer.startsWith(`${expansion.name}/`)) layer = layer.slice(expansion.name.length + 1);
  }
  const slash = layer.lastIndexOf('/');
  // An op in an argument of a block's statement (`add(x, dense(h, size))`): the op is its name.
  if (slash < 0) return new RegExp(`^${escapeRegExp(node.op)}_\\d+$`).test(layer) ? node.op : layer;
  const last = layer.slice(slash + 1);
  const parent = layer.slice(0, slash);
  if (!new RegExp(`^${escapeRegExp(node.op)}(_\\d+)?$`).test(last)) return last;
  const stage = stages.get(rangeKey(node.origin.range));
  return stage !== undefined ? `${parent} · stage ${stage}` : `${parent} · ${node.op}`;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rangeKey(range: SourceRange): string {
  return `${range.start}:${range.end}`;
}

/** Every pipeline stage of the file by its range: 1 for the first stage after the piped value. */
function pipelineStages(check: CheckResult): Map<string, number> {
  const stages = new Map<string, number>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as { kind?: unknown; stages?: unknown };
    if (node.kind === 'Pipe' && Array.isArray(node.stages)) {
      node.stages.forEach((stage: { range?: SourceRange }, i) => {
        if (i > 0 && stage.range) stages.set(rangeKey(stage.range), i);
      });
    }
    for (const [key, child] of Object.entries(value)) if (key !== 'range') visit(child);
  };
  visit(check.file);
  return stages;
}

/** The block clusters as a tree, for the writers that nest them: each cluster's sub-clusters and nodes (key undefined: the top level). */
export function clusterTree(graph: LayerGraph): { children: Map<number | undefined, number[]>; members: Map<number | undefined, DrawnNode[]> } {
  const children = new Map<number | undefined, number[]>();
  graph.clusters.forEach((c, i) => children.set(c.parent, [...(children.get(c.parent) ?? []), i]));
  const members = new Map<number | undefined, DrawnNode[]>();
  for (const node of graph.nodes) members.set(node.cluster, [...(members.get(node.cluster) ?? []), node]);
  return { children, members };
}
