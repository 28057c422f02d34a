import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { SourceRange } from '../../grammar/ast.js';
import type { SymbolKind } from '../../compiler/api-types.js';
import { walk } from '../ast-query.js';
import type { ProviderContext } from './context.js';

/**
 * The legend (documented in docs/editor.md). TextMate colours keywords, numbers and strings; these
 * tokens add what only the compiler knows: which names are ops, activations and other built-in
 * vocabulary, symbolic dims, block parameters, values, models and train settings.
 */
const TOKEN_TYPES = ['function', 'enumMember', 'typeParameter', 'parameter', 'variable', 'class', 'property', 'namespace'] as const;
const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];

interface Token {
  range: SourceRange;
  type: TokenType;
  modifiers: Modifier[];
}

const SYMBOL_TOKEN: Record<SymbolKind, { type: TokenType; modifiers: Modifier[] }> = {
  model: { type: 'class', modifiers: [] },
  block: { type: 'function', modifiers: [] },
  gan: { type: 'namespace', modifiers: [] },
  const: { type: 'variable', modifiers: ['readonly'] },
  input: { type: 'variable', modifiers: [] },
  output: { type: 'variable', modifiers: [] },
  value: { type: 'variable', modifiers: [] },
  param: { type: 'parameter', modifiers: [] },
  dim: { type: 'typeParameter', modifiers: [] },
};

export function semanticTokens(ctx: ProviderContext): SemanticTokens {
  return { data: encode(ctx, collectTokens(ctx)) };
}

function collectTokens(ctx: ProviderContext): Token[] {
  const byStart = new Map<number, Token>();
  const add = (token: Token): void => {
    if (token.range.end > token.range.start && !byStart.has(token.range.start)) byStart.set(token.range.start, token);
  };
  // Declared names first: a user's value named like an op is still the user's value.
  for (const symbol of ctx.result.symbols) {
    const { type, modifiers } = SYMBOL_TOKEN[symbol.kind];
    add({ range: symbol.definition, type, modifiers: [...modifiers, 'declaration'] });
    for (const range of symbol.references) add({ range, type, modifiers });
  }
  walk(ctx.result.file, (node, parent) => {
    if (node.kind === 'Call') {
      const entry = ctx.catalog.lookup(node.callee.name);
      if (entry) add({ range: node.callee.range, type: 'function', modifiers: ['defaultLibrary'] });
    } else if (node.kind === 'Name') {
      const entry = ctx.catalog.lookup(node.name);
      if (entry) {
        const isStage = parent?.kind === 'Pipe' && parent.stages[0] !== node;
        const type: TokenType = isStage || entry.kind === 'layer' ? 'function' : 'enumMember';
        add({ range: node.range, type, modifiers: ['defaultLibrary'] });
      } else if (parent?.kind === 'Shape') {
        add({ range: node.range, type: 'typeParameter', modifiers: [] });
      }
    } else if (node.kind === 'Arg' && node.name) {
      add({ range: node.name.range, type: 'parameter', modifiers: [] });
    } else if (node.kind === 'Setting' && node.key.range.start !== node.values[0]?.range.start) {
      add({ range: node.key.range, type: 'property', modifiers: [] });
    }
  });
  return [...byStart.values()].sort((a, b) => a.range.start - b.range.start);
}

/** The LSP's relative encoding: five integers per token, positions relative to the previous one. */
function encode(ctx: ProviderContext, tokens: Token[]): number[] {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const token of tokens) {
    const start = ctx.document.positionAt(token.range.start);
    const end = ctx.document.positionAt(token.range.end);
    if (end.line !== start.line) continue;
    const deltaLine = start.line - line;
    const deltaStart = deltaLine === 0 ? start.character - character : start.character;
    const modifiers = token.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
    data.push(deltaLine, deltaStart, end.character - start.character, TOKEN_TYPES.indexOf(token.type), modifiers);
    line = start.line;
    character = start.character;
  }
  return data;
}
