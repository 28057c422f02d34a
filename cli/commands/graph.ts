import { InvalidArgumentError, type Command } from 'commander';
import type { CheckedModel } from '../../compiler/api-types.js';
import type { IRNode } from '../../compiler/ir/graph.js';
import { loadModel, runCommand } from '../model-loading.js';
import type { SetExitCode } from './index.js';

interface GraphOptions {
  format: 'dot' | 'mermaid';
  model?: string;
}

/**
 * `nnet graph FILE [--format dot|mermaid] [--model NAME]`: the model's layer graph with every
 * value's shape, for Graphviz (`| dot -Tsvg`) or Mermaid (Markdown, GitHub).
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('graph')
    .description('print the layer graph of a model with shapes (Graphviz dot or Mermaid)')
    .argument('<file>', '.nnet file')
    .option('--format <format>', 'dot or mermaid', parseFormat, 'dot')
    .option('--model <name>', 'the model to draw (default: the last one in the file)')
    .action(async (file: string, options: GraphOptions) => {
      await runCommand(setExitCode, async () => {
        const { model } = loadModel(file, options.model);
        process.stdout.write(options.format === 'dot' ? toDot(model) : toMermaid(model));
      });
    });
}

function parseFormat(value: string): 'dot' | 'mermaid' {
  if (value !== 'dot' && value !== 'mermaid') throw new InvalidArgumentError('use dot or mermaid');
  return value;
}

interface DrawnNode {
  id: string;
  label: string;
  kind: 'input' | 'layer' | 'output';
}

/** The layer graph without parameter and constant nodes (they show up as the layer's param count). */
export function drawableGraph(model: CheckedModel): { nodes: DrawnNode[]; edges: Array<[string, string]> } {
  const { graph } = model;
  const hidden = new Set(graph.nodes.filter((n) => n.op === 'param' || n.op === 'const').map((n) => n.id));
  const inputNames = new Map(graph.inputs.map((i) => [i.node, i.name]));
  const nodes: DrawnNode[] = [];
  const edges: Array<[string, string]> = [];
  for (const node of graph.nodes) {
    if (hidden.has(node.id)) continue;
    const input = inputNames.get(node.id);
    const label = input !== undefined ? `${input}: input` : `${node.origin.layer}: ${node.op}`;
    nodes.push({ id: `n${node.id}`, label: `${label}\\n${shapeText(node)}`, kind: input !== undefined ? 'input' : 'layer' });
    for (const source of node.inputs) if (!hidden.has(source)) edges.push([`n${source}`, `n${node.id}`]);
  }
  for (const output of graph.outputs) {
    nodes.push({ id: `out_${output.name}`, label: `output ${output.name}`, kind: 'output' });
    edges.push([`n${output.node}`, `out_${output.name}`]);
  }
  return { nodes, edges };
}

function shapeText(node: IRNode): string {
  return `[${node.type.shape.join(', ')}]${node.type.dtype === 'i32' ? ' int' : ''}`;
}

export function toDot(model: CheckedModel): string {
  const { nodes, edges } = drawableGraph(model);
  const shape = { input: 'ellipse', layer: 'box', output: 'ellipse' };
  const lines = [`digraph ${JSON.stringify(model.name)} {`, '  rankdir=TB;', '  node [fontname="Helvetica", fontsize=11];'];
  for (const n of nodes) {
    const style = n.kind === 'layer' ? ', style="rounded"' : n.kind === 'output' ? ', style="bold"' : '';
    lines.push(`  ${n.id} [label="${n.label.replace(/"/g, '\\"')}", shape=${shape[n.kind]}${style}];`);
  }
  for (const [a, b] of edges) lines.push(`  ${a} -> ${b};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function toMermaid(model: CheckedModel): string {
  const { nodes, edges } = drawableGraph(model);
  const lines = ['flowchart TD'];
  for (const n of nodes) {
    const text = n.label.replace(/\\n/g, '<br/>').replace(/"/g, '#quot;');
    lines.push(n.kind === 'layer' ? `  ${n.id}["${text}"]` : `  ${n.id}(["${text}"])`);
  }
  for (const [a, b] of edges) lines.push(`  ${a} --> ${b}`);
  return lines.join('\n') + '\n';
}
