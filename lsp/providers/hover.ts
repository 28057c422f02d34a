import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import type { AstNode, Expr, SourceRange } from '../../grammar/ast.js';
import { BIDIRECTIONAL } from '../../compiler/check/bidirectional-sugar.js';
import type { SymbolInfo, ValueInfo } from '../../compiler/api-types.js';
import { nodePathAt, symbolAt, valuesFor, walk } from '../ast-query.js';
import { blockEntry, signatureLabel, type CatalogEntry, type EntryKind } from '../catalog.js';
import { describeGan, describeModel } from '../describe-declaration.js';
import { describeCount, describeMagnitude, describeType } from '../describe-type.js';
import { toOffset, toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

/**
 * Hover on an op shows its signature, defaults and documentation with what this call computes:
 * input → output shapes, parameters and FLOPs per sample. Hover on a name shows its type and the
 * layer that computed it; on a model's or gan's name, what goes in and out and how it trains.
 */
export function hover(ctx: ProviderContext, position: Position): Hover | null {
  const offset = toOffset(ctx.document, position);
  const path = nodePathAt(ctx.result.file, offset);
  const node = path[path.length - 1]!;
  const parent = path[path.length - 2];

  const vocabulary = vocabularyHover(ctx, node, parent, path);
  if (vocabulary) return vocabulary;
  // An index's `:` lies in a slice, which computes nothing of its own: the index does.
  const operator = operatorHover(ctx, node.kind === 'Slice' && parent ? parent : node);
  if (operator) return operator;

  const hit = symbolAt(ctx.result, offset);
  if (hit) return markdown(ctx, hit.range, symbolText(ctx, hit.symbol));
  return null;
}

/**
 * Hover on an op, activation, loss, optimizer or setting name. `outer` is the node around the
 * call's argument: for the layer `bidirectional(lstm(...))` wraps, the wrapper, which computes it.
 */
function vocabularyHover(ctx: ProviderContext, node: AstNode, parent: AstNode | undefined, path: readonly AstNode[]): Hover | null {
  const outer = path[path.length - 4];
  let name: string | undefined;
  let computed: SourceRange | undefined;
  let preferred: EntryKind | undefined;
  if (node.kind === 'Ident' && parent?.kind === 'Call' && parent.callee === node) {
    name = node.name;
    const wrapper = outer?.kind === 'Call' && outer.callee.name === BIDIRECTIONAL && outer.args.find((a) => !a.name)?.value === parent ? outer : undefined;
    computed = (wrapper ?? parent).range;
  } else if (node.kind === 'Name' && parent?.kind === 'Pipe' && parent.stages[0] !== node) {
    name = node.name;
    computed = node.range;
  } else if (node.kind === 'Name') {
    name = node.name;
  } else if (node.kind === 'Ident' && parent?.kind === 'Setting' && parent.key === node) {
    name = node.name;
    preferred = 'setting';
  }
  if (!name) return null;
  // A block called here reads like an op: its signature and what this expansion computes.
  const block = computed ? blockEntry(ctx.result.file, ctx.document.getText(), name) : undefined;
  const entry = block ?? (isUserSymbol(ctx, node.range) ? undefined : ctx.catalog.lookup(name, preferred));
  if (!entry) return null;
  const values = computed ? valuesFor(ctx.result, computed) : [];
  return markdown(ctx, node.range, entryText(entry, values.length > 0 || !computed ? values : partsOf(ctx, path)));
}

/** The parts a `split` of `a, b = ...` computes, recorded at the names (one flow per distinct part). */
function partsOf(ctx: ProviderContext, path: readonly AstNode[]): ValueInfo[] {
  const tuple = path.find((n) => n.kind === 'TupleAssign');
  return tuple?.kind === 'TupleAssign' ? tuple.names.flatMap((name) => valuesFor(ctx.result, name.range)) : [];
}

/**
 * Hover on an operator (`-` in `x - y`) or an index's brackets: the op it is (subtract, index,
 * scale...), what flows through it, and the op's documentation where the vocabulary has one.
 */
function operatorHover(ctx: ProviderContext, node: AstNode): Hover | null {
  if (node.kind !== 'Binary' && node.kind !== 'Unary' && node.kind !== 'Index') return null;
  const [value] = valuesFor(ctx.result, node.range);
  if (!value) return null;
  const entry = value.op ? ctx.catalog.lookup(value.op) : undefined;
  const text = entry ? entryText(entry, [value]) : `**${value.op ?? 'value'}** ${describeFlow(value)}`;
  return markdown(ctx, node.range, text);
}

function isUserSymbol(ctx: ProviderContext, range: SourceRange): boolean {
  return ctx.result.symbols.some(
    (s) => s.definition.start === range.start || s.references.some((r) => r.start === range.start && r.end === range.end),
  );
}

function entryText(entry: CatalogEntry, values: ValueInfo[]): string {
  const lines = [codeBlock(signatureLabel(entry))];
  const flow = values.map(describeFlow).filter((s, i, all) => all.indexOf(s) === i);
  if (flow.length > 0) lines.push(flow.join('  \n'));
  if (entry.shapeRule) lines.push(`Shape: \`${entry.shapeRule}\``);
  if (entry.doc) lines.push(entry.doc);
  const documented = entry.params.filter((p) => p.doc);
  if (documented.length > 0) {
    lines.push(
      documented
        .map((p) => `- \`${p.name}\`${p.default === undefined ? '' : ` (default \`${p.default}\`)`}: ${p.doc}`)
        .join('\n'),
    );
  }
  return lines.join('\n\n');
}

/** `[batch, 784] → [batch, 256] · 200,960 params · 401.4K FLOPs/sample` */
export function describeFlow(value: ValueInfo): string {
  const inputs = (value.inputTypes ?? []).map(describeType).join(', ');
  const parts = [`${inputs ? `${inputs} → ` : '→ '}${describeType(value.type)}`];
  if (value.params !== undefined && value.params > 0) parts.push(`${describeCount(value.params)} params`);
  if (value.flopsPerSample !== undefined && value.flopsPerSample > 0) {
    parts.push(`${describeMagnitude(value.flopsPerSample)} FLOPs/sample`);
  }
  return parts.join(' · ');
}

function symbolText(ctx: ProviderContext, symbol: SymbolInfo): string {
  const where = symbol.container ? ` in ${symbol.container}` : '';
  const type = symbol.type ? `: ${describeType(symbol.type)}` : '';
  const lines = [codeBlock(`(${symbol.kind}) ${symbol.name}${type}`)];
  const model = symbol.kind === 'model' ? ctx.result.models.find((m) => m.name === symbol.name) : undefined;
  const gan = symbol.kind === 'gan' ? ctx.result.gans.find((g) => g.name === symbol.name) : undefined;
  if (model) return [...lines, ...describeModel(model)].join('\n\n');
  if (gan) return [...lines, ...describeGan(gan, ctx.result.models)].join('\n\n');
  lines.push(`Declared${where}.`);
  const computed = definingValues(ctx, symbol);
  if (computed.length > 0) {
    const op = computed[0]!.op;
    lines.push(`${op ? `**${op}** ` : ''}${describeFlow(computed[0]!)}`);
  }
  return lines.join('\n\n');
}

/** The value(s) computed by the statement that declares `symbol` (`h = dense(...)`). */
function definingValues(ctx: ProviderContext, symbol: SymbolInfo): ValueInfo[] {
  let expr: Expr | undefined;
  let part: ValueInfo[] = [];
  walk(ctx.result.file, (node) => {
    if ((node.kind === 'Assign' || node.kind === 'Output' || node.kind === 'Let') && node.name.range.start === symbol.definition.start) {
      expr = node.value;
    }
    // A name of `mu, logvar = split(...)`: its part is recorded at the name itself.
    const name = node.kind === 'TupleAssign' ? node.names.find((n) => n.range.start === symbol.definition.start) : undefined;
    if (name) part = valuesFor(ctx.result, name.range);
  });
  if (part.length > 0) return part;
  if (!expr) return [];
  const direct = valuesFor(ctx.result, expr.range);
  if (direct.length > 0 || expr.kind !== 'Pipe') return direct;
  return valuesFor(ctx.result, expr.stages[expr.stages.length - 1]!.range);
}

function markdown(ctx: ProviderContext, range: SourceRange, value: string): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toRange(ctx.document, range) };
}

function codeBlock(code: string): string {
  return ['```nnet', code, '```'].join('\n');
}
