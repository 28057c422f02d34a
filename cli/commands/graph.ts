import { prepareOutput, writeFileAtomic } from '../../files/guarded-files.js';
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { compileModel, type ExplainEntry } from '../../compiler/compile.js';
import { toDot } from '../format/graph/dot.js';
import { layerGraph, type LayerGraph } from '../format/graph/layer-graph.js';
import { toMermaid } from '../format/graph/mermaid.js';
import { dotToSvg } from '../format/graph/svg.js';
import { loadChecked, pickModels, runCommand, type LoadedModel } from '../model-loading.js';
import { EXIT_USAGE } from '../exit-codes.js';
import type { SetExitCode } from './index.js';

type GraphFormat = 'dot' | 'mermaid' | 'svg';

interface GraphOptions {
  format?: GraphFormat;
  output?: string;
  model?: string;
}

const BY_EXTENSION: Readonly<Record<string, GraphFormat>> = { '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.svg': 'svg' };

/**
 * `nnet graph FILE [--format dot|mermaid|svg] [-o FILE] [--model NAME]`: the model's layer graph
 * (layer names, ops, shapes, activations, parameter counts, block clusters, the loss, fused layers)
 * as Graphviz dot, Mermaid, or SVG laid out in process. Without `--format`, `-o`'s extension picks
 * it (.svg, .dot, .mmd), else dot.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('graph')
    .description('draw the layer graph of a model with shapes: Graphviz dot, Mermaid, or SVG')
    .argument('<file>', '.nnet file')
    .option('--format <format>', 'dot, mermaid or svg (default: from the extension of -o, else dot)', parseFormat)
    .option('-o, --output <file>', 'write the drawing here instead of printing it (.svg, .dot, .mmd)')
    .option('--model <name>', 'the model to draw (default: the last one in the file)')
    .action(async (file: string, options: GraphOptions, command: Command) => {
      const format = options.format ?? formatOf(options.output);
      if (format === undefined) command.error(`error: cannot tell the format of '${options.output}' from its extension: use .svg, .dot or .mmd, or --format`, { exitCode: EXIT_USAGE });
      await runCommand(setExitCode, async () => {
        if (options.output) prepareOutput(options.output, { what: 'the drawing', inputs: [file] });
        // A gan's name draws both of its models, each in its own box.
        const models = pickModels(loadChecked(file), options.model);
        const graphs = models.map((loaded) => layerGraph(loaded.check, loaded.model, fusedGroups(loaded)));
        const graph = graphs.length === 1 ? graphs[0]! : sideBySide(options.model!, graphs);
        const dot = toDot(graph);
        const drawing = format === 'mermaid' ? toMermaid(graph) : format === 'svg' ? await dotToSvg(dot) : dot;
        if (!options.output) {
          process.stdout.write(drawing);
          return;
        }
        writeFileAtomic(options.output, drawing);
        process.stderr.write(`wrote ${options.output} (${format})\n`);
      });
    });
}

function parseFormat(value: string): GraphFormat {
  if (value !== 'dot' && value !== 'mermaid' && value !== 'svg') throw new InvalidArgumentError('use dot, mermaid or svg');
  return value;
}

/** The format `-o`'s extension names; dot without `-o`; undefined for an extension it cannot tell. */
function formatOf(output: string | undefined): GraphFormat | undefined {
  return output === undefined ? 'dot' : BY_EXTENSION[extname(output).toLowerCase()];
}

/** The layers the compiler fuses at inference; none when the model does not compile. */
function fusedGroups(loaded: LoadedModel): ExplainEntry[] {
  const result = compileModel(loaded.check, loaded.model.name, { target: 'cpu', fuse: true, training: false, path: loaded.path, text: loaded.text, initialiseWeights: false });
  return result.plan ? result.explain : [];
}

/** Several layer graphs in one drawing: each model a top-level box, node ids kept apart. */
function sideBySide(name: string, graphs: readonly LayerGraph[]): LayerGraph {
  const out: LayerGraph = { name, nodes: [], edges: [], clusters: [] };
  graphs.forEach((g, index) => {
    const id = (node: string): string => `m${index}_${node}`;
    const box = out.clusters.length;
    out.clusters.push({ label: g.name });
    const offset = out.clusters.length;
    for (const c of g.clusters) out.clusters.push({ label: c.label, parent: c.parent === undefined ? box : c.parent + offset });
    for (const n of g.nodes) out.nodes.push({ ...n, id: id(n.id), cluster: n.cluster === undefined ? box : n.cluster + offset });
    for (const e of g.edges) out.edges.push({ ...e, from: id(e.from), to: id(e.to) });
  });
  return out;
}
