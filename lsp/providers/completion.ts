import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { SymbolInfo } from '../../compiler/api-types.js';
import { declAt, nodePathAt, trainSectionAt, walk } from '../ast-query.js';
import { callContextAt, type CallContext } from '../call-context.js';
import { blockEntry, signatureLabel, type CatalogEntry, type EntryKind } from '../catalog.js';
import { describeType } from '../describe-type.js';
import { toOffset, touches } from '../positions.js';
import type { ProviderContext } from './context.js';

/**
 * Which vocabulary a train setting takes as its value (docs/language.md, "The train section"):
 * after `loss ` come losses, after `optimizer ` optimizers, and so on.
 */
const SETTING_VALUES: Record<string, EntryKind> = {
  loss: 'loss',
  optimizer: 'optimizer',
  schedule: 'schedule',
  clip: 'clip',
  regularize: 'regularizer',
  augment: 'augment',
  metrics: 'metric',
};

/** Named arguments whose values come from a vocabulary rather than from values in scope. */
const ARGUMENT_VALUES: Record<string, EntryKind[]> = {
  activation: ['activation'],
  weight: ['initializer'],
  bias: ['initializer'],
};

const TOP_LEVEL_SNIPPETS: Array<[string, string]> = [
  ['model', 'model ${1:Name} {\n\tinput ${2:x}: [batch, ${3:features}]\n\t$0\n}'],
  ['block', 'block ${1:name}(${2:x}) {\n\t$0\n\treturn ${2:x}\n}'],
  ['shared block', 'shared block ${1:name}(${2:x}) {\n\t$0\n\treturn ${2:x}\n}'],
  ['gan', 'gan ${1:Name} {\n\tgenerator ${2:Generator}\n\tdiscriminator ${3:Discriminator}\n\ttrain {\n\t\t$0\n\t}\n}'],
  ['let', 'let ${1:name} = ${0}'],
];

const MODEL_SNIPPETS: Array<[string, string]> = [
  ['input', 'input ${1:x}: [batch, ${2:features}]'],
  ['output', 'output ${1:y}'],
  ['let', 'let ${1:name} = ${0}'],
  ['train', 'train {\n\tloss ${1:cross_entropy}(${2:logits}, ${3:label})\n\toptimizer ${4:adam}(lr: ${5:1e-3})\n\tepochs ${6:10}\n}'],
];

export function completion(ctx: ProviderContext, position: Position): CompletionItem[] {
  const text = ctx.document.getText();
  const offset = toOffset(ctx.document, position);
  if (inCommentOrString(ctx, offset)) return [];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const word = /[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(lineStart, offset))?.[0] ?? '';
  const replace: Range = { start: ctx.document.positionAt(offset - word.length), end: position };
  const before = text.slice(lineStart, offset - word.length);
  const items = itemsFor(ctx, offset, before, text);
  return items.map((item) => ({ ...item, textEdit: { range: replace, newText: item.insertText ?? item.label } }));
}

function itemsFor(ctx: ProviderContext, offset: number, before: string, text: string): CompletionItem[] {
  const scope = scopeAt(ctx, offset);
  const call = callContextAt(text, offset - (/[A-Za-z_][A-Za-z0-9_]*$/.exec(text.slice(0, offset))?.[0].length ?? 0));

  if (/\|>\s*$/.test(before)) return [...layerItems(ctx, true), ...blockItems(ctx, true)];

  const train = trainSectionAt(ctx.result.file, offset);
  if (train && !call) {
    const setting = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(?:.*,\s*)?$/.exec(before);
    if (setting) {
      const kind = SETTING_VALUES[setting[1]!];
      if (kind) return ctx.catalog.ofKind(kind).map((e) => entryItem(e, false, '0'));
      return valueItems(ctx, scope, offset);
    }
    if (/^\s*$/.test(before)) return ctx.catalog.ofKind('setting').map(settingItem);
  }

  if (call) return argumentItems(ctx, call, scope, offset, before);

  if (/^\s*input\s+[A-Za-z_]\w*\s*:\s*\[[^\]]*$/.test(before)) {
    return dimItems(ctx, scope);
  }

  const decl = declAt(ctx.result.file, offset);
  const atStatementStart = /^\s*$/.test(before);
  if (atStatementStart && (!decl || offset <= decl.range.start || offset >= decl.range.end)) {
    return TOP_LEVEL_SNIPPETS.map(([label, snippet]) => snippetItem(label, snippet, CompletionItemKind.Keyword));
  }
  if (atStatementStart) {
    return MODEL_SNIPPETS.map(([label, snippet]) => snippetItem(label, snippet, CompletionItemKind.Keyword));
  }
  return expressionItems(ctx, scope, offset);
}

/** The model or block whose names are visible at `offset` ('' at top level). */
function scopeAt(ctx: ProviderContext, offset: number): string {
  const decl = declAt(ctx.result.file, offset);
  return decl && decl.kind !== 'Let' ? decl.name.name : '';
}

function inCommentOrString(ctx: ProviderContext, offset: number): boolean {
  if (ctx.result.file.comments.some((c) => c.range.start < offset && (offset < c.range.end || (c.style === 'line' && offset === c.range.end)))) {
    return true;
  }
  const innermost = nodePathAt(ctx.result.file, offset).at(-1)!;
  return innermost.kind === 'String' && innermost.range.start < offset && offset < innermost.range.end;
}

function expressionItems(ctx: ProviderContext, scope: string, offset: number): CompletionItem[] {
  return [
    ...valueItems(ctx, scope, offset),
    ...layerItems(ctx, false),
    ...blockItems(ctx, false),
    ...ctx.catalog.ofKind('activation').map((e) => entryItem(e, false, '3')),
  ];
}

function argumentItems(ctx: ProviderContext, call: CallContext, scope: string, offset: number, before: string): CompletionItem[] {
  const entry = ctx.catalog.lookup(call.callee) ?? blockEntry(ctx.result.file, ctx.document.getText(), call.callee);
  if (call.currentName && /:\s*$/.test(before)) {
    // A word from a fixed set (padding: same, merge: sum) is all that fits there.
    const choices = entry?.params.find((p) => p.name === call.currentName)?.choices;
    if (choices) return choices.map((c, i) => ({ label: c, kind: CompletionItemKind.EnumMember, detail: `${call.currentName}: ${choices.join(' | ')}`, sortText: `0${i}` }));
    const kinds = ARGUMENT_VALUES[call.currentName];
    const vocabulary = kinds ? ctx.catalog.ofKind(...kinds).map((e) => entryItem(e, false, '0')) : [];
    return [...vocabulary, ...valueItems(ctx, scope, offset)];
  }
  // Parameters already given: by name, or by position (a pipeline stage's tensor is given implicitly).
  const implicit = call.isPipeStage && entry?.params[0]?.tensor ? 1 : 0;
  const positional = implicit + call.argIndex - call.namedArgs.length;
  // An argument that is a call of given ops (bidirectional's recurrent layer): those ops, then the named arguments.
  const calls = call.namedArgs.length === 0 && !call.currentName ? entry?.params[positional]?.calls : undefined;
  if (calls) {
    const layers = calls.flatMap((name) => ctx.catalog.lookup(name, 'layer') ?? []).map((e) => entryItem(e, call.isPipeStage, '0'));
    return [...layers, ...namedItems(entry!, call, positional + 1)];
  }
  return [...(entry ? namedItems(entry, call, positional) : []), ...expressionItems(ctx, scope, offset)];
}

/** `name:` items for the parameters from index `from` on that are not yet given (nor the implicit tensor). */
function namedItems(entry: CatalogEntry, call: CallContext, from: number): CompletionItem[] {
  return entry.params
    .filter((p, i) => !call.namedArgs.includes(p.name) && i >= from && !p.tensor)
    .map((p) => ({
      label: `${p.name}:`,
      kind: CompletionItemKind.Property,
      detail: p.default === undefined ? 'required' : `default ${p.default}`,
      documentation: p.doc,
      insertText: `${p.name}: \${1:${escapeSnippet(p.default ?? '')}}`,
      insertTextFormat: InsertTextFormat.Snippet,
      sortText: `0${p.name}`,
    }));
}

function valueItems(ctx: ProviderContext, scope: string, offset: number): CompletionItem[] {
  return ctx.result.symbols
    .filter((s) => (s.container === scope || s.container === '') && isValueLike(s))
    .filter((s) => s.kind === 'const' || s.kind === 'param' || s.kind === 'input' || s.definition.start < offset)
    .filter((s) => !touches(s.definition, offset))
    .map((s) => ({
      label: s.name,
      kind: s.kind === 'const' ? CompletionItemKind.Constant : CompletionItemKind.Variable,
      detail: s.type ? describeType(s.type) : s.kind,
      sortText: `1${s.name}`,
    }));
}

function isValueLike(symbol: SymbolInfo): boolean {
  return ['input', 'output', 'value', 'const', 'param'].includes(symbol.kind);
}

function dimItems(ctx: ProviderContext, scope: string): CompletionItem[] {
  const names = new Set<string>(['batch']);
  for (const s of ctx.result.symbols) if (s.kind === 'dim') names.add(s.name);
  walk(ctx.result.file, (node, parent) => {
    if (node.kind === 'Name' && parent?.kind === 'Shape') names.add(node.name);
  });
  const consts = ctx.result.symbols.filter((s) => s.kind === 'const' && (s.container === scope || s.container === ''));
  for (const c of consts) names.delete(c.name);
  return [
    ...[...names].map((name) => ({ label: name, kind: CompletionItemKind.TypeParameter, detail: 'dimension', sortText: `0${name}` })),
    ...consts.map((c) => ({ label: c.name, kind: CompletionItemKind.Constant, detail: 'constant', sortText: `1${c.name}` })),
  ];
}

function layerItems(ctx: ProviderContext, asStage: boolean): CompletionItem[] {
  return ctx.catalog.ofKind('layer', 'activation').map((e) => entryItem(e, asStage, e.kind === 'layer' ? '2' : '3'));
}

function blockItems(ctx: ProviderContext, asStage: boolean): CompletionItem[] {
  const text = ctx.document.getText();
  return ctx.result.file.decls
    .filter((d) => d.kind === 'Block')
    .flatMap((d) => blockEntry(ctx.result.file, text, d.name.name) ?? [])
    .map((e) => ({ ...entryItem(e, asStage, '2'), kind: CompletionItemKind.Function, detail: `block ${signatureLabel(e)}` }));
}

/**
 * An op as a snippet with its required arguments as placeholders: `dense(${1:x}, ${2:units})`, or
 * in a pipeline stage without the implicit tensor: `dense(${1:units})`, `flatten`.
 */
function entryItem(entry: CatalogEntry, asStage: boolean, group: string): CompletionItem {
  const required = entry.params.filter((p, i) => p.default === undefined && !(asStage && i === 0 && p.tensor !== false));
  const snippet =
    required.length === 0 && (asStage || entry.params.length === 0 || entry.kind !== 'layer')
      ? entry.name
      : `${entry.name}(${required.map((p, i) => `\${${i + 1}:${p.name}}`).join(', ')})`;
  return {
    label: entry.name,
    kind: KIND_ICON[entry.kind],
    detail: signatureLabel(entry),
    documentation: { kind: 'markdown', value: entry.doc },
    insertText: snippet,
    insertTextFormat: snippet === entry.name ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
    sortText: `${group}${entry.name}`,
  };
}

/** `loss ` (a key that takes values) or `early_stopping($1)` (a setting written as a call). */
function settingItem(entry: CatalogEntry): CompletionItem {
  const asCall = entry.params.length > 0;
  return {
    label: entry.name,
    kind: CompletionItemKind.Property,
    detail: asCall ? signatureLabel(entry) : 'train setting',
    documentation: { kind: 'markdown', value: entry.doc },
    insertText: asCall ? `${entry.name}(\${1})` : `${entry.name} `,
    insertTextFormat: asCall ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    command: asCall ? undefined : { title: 'Suggest', command: 'editor.action.triggerSuggest' },
    sortText: `0${entry.name}`,
  };
}

function snippetItem(label: string, snippet: string, kind: CompletionItemKind): CompletionItem {
  return { label, kind, insertText: snippet, insertTextFormat: InsertTextFormat.Snippet, sortText: `0${label}` };
}

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

const KIND_ICON: Record<EntryKind, CompletionItemKind> = {
  layer: CompletionItemKind.Function,
  activation: CompletionItemKind.EnumMember,
  loss: CompletionItemKind.Function,
  optimizer: CompletionItemKind.Function,
  schedule: CompletionItemKind.Function,
  clip: CompletionItemKind.Function,
  regularizer: CompletionItemKind.Function,
  augment: CompletionItemKind.Function,
  initializer: CompletionItemKind.Function,
  metric: CompletionItemKind.EnumMember,
  setting: CompletionItemKind.Property,
  other: CompletionItemKind.Function,
};
