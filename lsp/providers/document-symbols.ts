import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { AstNode, Decl, Ident, ModelStmt, Param } from '../../grammar/ast.js';
import type { SymbolInfo } from '../../compiler/api-types.js';
import { DISCARD } from '../../compiler/ops/split.js';
import { describeType } from '../describe-type.js';
import { toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

/** The outline: models, blocks and gans, with their inputs, layers, outputs and constants inside. */
export function documentSymbols(ctx: ProviderContext): DocumentSymbol[] {
  // Indexed once per request: a lookup per statement over every symbol was quadratic in the
  // document (10,000 models took 36 s).
  const index: OutlineIndex = {
    types: new Map(ctx.result.symbols.map((s) => [s.definition.start, s] as const).reverse()),
    models: new Map(ctx.result.models.map((m) => [m.name, m] as const).reverse()),
  };
  return ctx.result.file.decls.filter((d) => !d.name.missing).map((decl) => declSymbol(ctx, index, decl));
}

/** Symbols by the offset of their definition, checked models by name (the first of each, as `find` gave). */
interface OutlineIndex {
  types: ReadonlyMap<number, SymbolInfo>;
  models: ReadonlyMap<string, ProviderContext['result']['models'][number]>;
}

function declSymbol(ctx: ProviderContext, index: OutlineIndex, decl: Decl): DocumentSymbol {
  const children: DocumentSymbol[] = [];
  const statements: Array<ModelStmt | Param> =
    decl.kind === 'Model' ? decl.body : decl.kind === 'Block' ? [...decl.params, ...decl.body] : [];
  for (const statement of statements) {
    if (statement.kind === 'Train') {
      children.push(symbol(ctx, 'train', SymbolKind.Namespace, statement, undefined, ''));
    } else if (statement.kind === 'TupleAssign') {
      // One entry per name of `mu, logvar = split(...)`, each with its part's shape; `_` names nothing.
      for (const name of statement.names) {
        if (name.missing || name.name === DISCARD) continue;
        children.push(symbol(ctx, name.name, SymbolKind.Variable, statement, name, typeOf(index, name)));
      }
    } else if (!statement.name.missing) {
      const kind = statementKind(statement.kind);
      children.push(symbol(ctx, statement.name.name, kind, statement, statement.name, typeOf(index, statement.name)));
    }
  }
  const kind = decl.kind === 'Model' ? SymbolKind.Class : decl.kind === 'Block' ? SymbolKind.Function : decl.kind === 'Gan' ? SymbolKind.Module : SymbolKind.Constant;
  const detail = decl.kind === 'Model' ? paramsDetail(index, decl.name.name) : decl.kind.toLowerCase();
  const out = symbol(ctx, decl.name.name, kind, decl, decl.name, detail);
  if (children.length > 0) out.children = children;
  return out;
}

function statementKind(kind: AstNode['kind']): SymbolKind {
  switch (kind) {
    case 'Input':
      return SymbolKind.Field;
    case 'Output':
      return SymbolKind.Event;
    case 'Let':
      return SymbolKind.Constant;
    case 'Param':
      return SymbolKind.TypeParameter;
    default:
      return SymbolKind.Variable;
  }
}

function symbol(ctx: ProviderContext, name: string, kind: SymbolKind, node: AstNode, nameNode: Ident | undefined, detail: string): DocumentSymbol {
  return {
    name,
    kind,
    detail,
    range: toRange(ctx.document, node.range),
    selectionRange: toRange(ctx.document, (nameNode ?? node).range),
  };
}

function typeOf(index: OutlineIndex, name: Ident): string {
  const info = index.types.get(name.range.start);
  return info?.type ? describeType(info.type) : '';
}

function paramsDetail(index: OutlineIndex, model: string): string {
  const checked = index.models.get(model);
  return checked ? `${checked.totalParams.toLocaleString('en-US')} params` : 'model';
}

const WORKSPACE_KINDS: Record<SymbolInfo['kind'], SymbolKind> = {
  model: SymbolKind.Class,
  block: SymbolKind.Function,
  gan: SymbolKind.Module,
  const: SymbolKind.Constant,
  input: SymbolKind.Field,
  output: SymbolKind.Event,
  value: SymbolKind.Variable,
  param: SymbolKind.TypeParameter,
  dim: SymbolKind.TypeParameter,
};

/** Workspace symbols over the open documents: every declared name matching the query (subsequence). */
export function workspaceSymbols(contexts: ProviderContext[], query: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const ctx of contexts) {
    for (const s of ctx.result.symbols) {
      if (!matchesQuery(s.name, query)) continue;
      out.push({
        name: s.name,
        kind: WORKSPACE_KINDS[s.kind],
        containerName: s.container || undefined,
        location: { uri: ctx.document.uri, range: toRange(ctx.document, s.definition) },
      });
    }
  }
  return out;
}

function matchesQuery(name: string, query: string): boolean {
  let i = 0;
  const lower = name.toLowerCase();
  for (const ch of query.toLowerCase()) {
    i = lower.indexOf(ch, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}
