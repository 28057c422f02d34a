import { clusterTree, type DrawnNode, type LayerGraph } from './layer-graph.js';

/**
 * A layer graph as Graphviz dot: HTML-like labels (name and op, shape, activation and parameter
 * count, the fused kernel), inputs and outputs as ellipses, the loss as an octagon fed by dashed
 * edges, fused layers shaded, block expansions as nested clusters. Graphviz (`dot -Tsvg`) and
 * svg.ts (Graphviz in WebAssembly) lay it out.
 */
export const FUSED_FILL = '#fde3c0';
const LAYER_FILL = '#eef3fb';
const INPUT_FILL = '#e8f5e9';
const CLUSTER_FILL = '#f6f6f6';

export function toDot(graph: LayerGraph): string {
  const lines = [
    `digraph ${JSON.stringify(graph.name)} {`,
    '  rankdir=TB;',
    '  nodesep=0.3; ranksep=0.35;',
    '  node [fontname="Helvetica", fontsize=11, margin="0.2,0.06"];',
    '  edge [color="#555555", arrowsize=0.7];',
  ];
  const { children, members } = clusterTree(graph);

  const emit = (cluster: number | undefined, indent: string): void => {
    for (const node of members.get(cluster) ?? []) lines.push(`${indent}${nodeLine(node)}`);
    for (const child of children.get(cluster) ?? []) {
      lines.push(`${indent}subgraph cluster_${child} {`);
      lines.push(`${indent}  label=<block ${html(graph.clusters[child]!.label)}>; labeljust=l; fontname="Helvetica"; fontsize=11;`);
      lines.push(`${indent}  style="rounded,filled"; fillcolor="${CLUSTER_FILL}"; color="#999999";`);
      emit(child, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(undefined, '  ');
  for (const edge of graph.edges) {
    lines.push(`  ${edge.from} -> ${edge.to}${edge.training ? ' [style=dashed, color="#b03030"]' : ''};`);
  }
  const legend = [
    ...(graph.nodes.some((n) => n.fused) ? ['shaded: fused into one kernel by the compiler'] : []),
    ...(graph.edges.some((e) => e.training) ? ['dashed: training only'] : []),
  ];
  if (legend.length > 0) lines.push(`  label="${legend.join('   ·   ')}"; labelloc=b; fontname="Helvetica"; fontsize=9; fontcolor="#555555";`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * One text run per line, each centred: Graphviz measures text with Helvetica's widths, and a
 * viewer that substitutes a wider font (DejaVu Sans) then only widens a line, never overlaps two.
 */
function nodeLine(node: DrawnNode): string {
  switch (node.kind) {
    case 'input':
    case 'label':
      return `${node.id} [label=<${rows([bold(node.title), grey(`${node.kind === 'label' ? 'label input' : 'input'} ${node.shape}`)])}>, shape=ellipse, style=filled, fillcolor="${INPUT_FILL}"];`;
    case 'output':
      return `${node.id} [label=<${rows([bold(node.title), grey('output')])}>, shape=ellipse, style=bold];`;
    case 'loss':
      return `${node.id} [label=<${rows([bold('loss'), grey(node.op)])}>, shape=octagon, color="#b03030"];`;
    case 'layer': {
      const kind = [node.title === node.op ? '' : node.op, node.activation ?? ''].filter((t) => t !== '').join(' · ');
      const lines = [bold(node.title), ...(kind ? [grey(kind)] : []), html(node.shape)];
      if (node.params > 0) lines.push(html(paramsText(node.params)));
      if (node.fused) lines.push(`<font point-size="9" color="#8a5a00">fused ${html(node.fused)}</font>`);
      const fill = node.fused ? FUSED_FILL : LAYER_FILL;
      return `${node.id} [label=<${rows(lines)}>, shape=box, style="rounded,filled", fillcolor="${fill}"];`;
    }
  }
}

function paramsText(params: number): string {
  return `${params.toLocaleString('en-US')} param${params === 1 ? '' : 's'}`;
}

function bold(text: string): string {
  return `<b>${html(text)}</b>`;
}

function grey(text: string): string {
  return `<font color="#555555">${html(text)}</font>`;
}

/** `relu · 4,640 params`: the facts under the shape, or '' when there are none. */
export function factsLine(node: DrawnNode): string {
  const parts: string[] = [];
  if (node.activation) parts.push(node.activation);
  if (node.params > 0) parts.push(paramsText(node.params));
  return parts.join(' · ');
}

function rows(lines: string[]): string {
  return lines.join('<br/>');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
