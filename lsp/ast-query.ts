import type { AstNode, Decl, FileNode, ModelDecl, SourceRange, TrainSection } from '../grammar/ast.js';
import type { CheckResult, SymbolInfo, ValueInfo } from '../compiler/api-types.js';
import { childKeys } from '../grammar/format/nodes.js';
import { touches } from './positions.js';

/** The children of an AST node in source order. */
function childrenOf(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const record = node as unknown as Record<string, unknown>;
  for (const key of childKeys(node)) {
    const value = record[key];
    if (Array.isArray(value)) out.push(...(value as AstNode[]));
    else if (value && typeof value === 'object') out.push(value as AstNode);
  }
  return out;
}

/** Visits the nodes that overlap `range` (and their ancestors), skipping subtrees outside it. */
export function walkRange(
  node: AstNode,
  range: SourceRange,
  visit: (node: AstNode, parent: AstNode | undefined) => void,
  parent?: AstNode,
): void {
  if (node.range.end < range.start || node.range.start > range.end) return;
  visit(node, parent);
  for (const child of childrenOf(node)) walkRange(child, range, visit, node);
}

/** Visits every node depth-first, parents before children. */
export function walk(node: AstNode, visit: (node: AstNode, parent: AstNode | undefined) => void, parent?: AstNode): void {
  visit(node, parent);
  for (const child of childrenOf(node)) walk(child, visit, node);
}

/** The chain of nodes from the file down to the innermost one touching `offset`. */
export function nodePathAt(file: FileNode, offset: number): AstNode[] {
  const path: AstNode[] = [file];
  let current: AstNode = file;
  for (;;) {
    const next: AstNode | undefined = childrenOf(current).find((c) => touches(c.range, offset) && c.range.end > c.range.start);
    if (!next) return path;
    path.push(next);
    current = next;
  }
}

/** The declaration (model, block, gan, top-level let) whose range contains `offset`. */
export function declAt(file: FileNode, offset: number): Decl | undefined {
  return file.decls.find((d) => d.range.start <= offset && offset <= d.range.end);
}

/** The `train` section containing `offset`, in a model or a gan. */
export function trainSectionAt(file: FileNode, offset: number): TrainSection | undefined {
  const decl = declAt(file, offset);
  if (!decl) return undefined;
  const sections =
    decl.kind === 'Model'
      ? (decl as ModelDecl).body.filter((s): s is TrainSection => s.kind === 'Train')
      : decl.kind === 'Gan' && decl.train
        ? [decl.train]
        : [];
  return sections.find((t) => t.range.start < offset && offset < t.range.end);
}

/** The symbol whose definition or one of whose references touches `offset`. */
export function symbolAt(result: CheckResult, offset: number): { symbol: SymbolInfo; range: SourceRange } | undefined {
  for (const symbol of result.symbols) {
    if (touches(symbol.definition, offset)) return { symbol, range: symbol.definition };
    const reference = symbol.references.find((r) => touches(r, offset));
    if (reference) return { symbol, range: reference };
  }
  return undefined;
}

const valueIndexes = new WeakMap<CheckResult, Map<string, ValueInfo[]>>();

/** Every value computed by exactly this expression (a block body yields one per expansion). */
export function valuesFor(result: CheckResult, range: SourceRange): ValueInfo[] {
  let index = valueIndexes.get(result);
  if (!index) {
    index = new Map();
    for (const value of result.values) {
      const key = `${value.range.start}:${value.range.end}`;
      const list = index.get(key);
      if (list) list.push(value);
      else index.set(key, [value]);
    }
    valueIndexes.set(result, index);
  }
  return index.get(`${range.start}:${range.end}`) ?? [];
}

