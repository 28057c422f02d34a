import { factsLine, FUSED_FILL } from './dot.js';
import { clusterTree, type DrawnNode, type LayerGraph } from './layer-graph.js';

/**
 * A layer graph as a Mermaid flowchart (renders in GitHub Markdown): the same facts as the dot
 * output, block expansions as nested subgraphs, fused layers in the `fused` class, the loss as a
 * hexagon fed by dotted edges.
 */
export function toMermaid(graph: LayerGraph): string {
  const lines = ['flowchart TD'];
  const { children, members } = clusterTree(graph);

  const emit = (cluster: number | undefined, indent: string): void => {
    for (const node of members.get(cluster) ?? []) lines.push(`${indent}${nodeLine(node)}`);
    for (const child of children.get(cluster) ?? []) {
      lines.push(`${indent}subgraph c${child}["${text(`block ${graph.clusters[child]!.label}`)}"]`);
      emit(child, `${indent}  `);
      lines.push(`${indent}end`);
    }
  };
  emit(undefined, '  ');
  for (const edge of graph.edges) lines.push(`  ${edge.from} ${edge.training ? '-.->' : '-->'} ${edge.to}`);
  const fused = graph.nodes.filter((n) => n.fused).map((n) => n.id);
  if (fused.length > 0) {
    lines.push(`  classDef fused fill:${FUSED_FILL},stroke:#c8872c`);
    lines.push(`  class ${fused.join(',')} fused`);
  }
  return lines.join('\n') + '\n';
}

function nodeLine(node: DrawnNode): string {
  switch (node.kind) {
    case 'input':
    case 'label':
      return `${node.id}(["${text(`${node.title}: ${node.kind === 'label' ? 'label input' : 'input'}`)}<br/>${text(node.shape)}"])`;
    case 'output':
      return `${node.id}(["${text(`output ${node.title}`)}"])`;
    case 'loss':
      return `${node.id}{{"${text(`loss: ${node.op}`)}"}}`;
    case 'layer': {
      const parts = [text(node.title === node.op ? node.title : `${node.title}: ${node.op}`), text(node.shape)];
      const facts = factsLine(node);
      if (facts) parts.push(text(facts));
      if (node.fused) parts.push(text(`fused ${node.fused}`));
      return `${node.id}["${parts.join('<br/>')}"]`;
    }
  }
}

function text(value: string): string {
  return value.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
