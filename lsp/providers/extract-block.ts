import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { AssignStmt, ModelDecl, SourceRange } from '../../grammar/ast.js';
import type { SymbolInfo } from '../../compiler/api-types.js';
import { contains, overlaps, toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

const TITLE = 'Extract to block';

/**
 * "Extract to block": the selected run of assignments in a model becomes a new block placed
 * before the model, and the run is replaced by one call to it. The block's parameters are the
 * values and model constants the run reads but does not define (tensors first, as blocks take
 * their tensor first); it returns the last assignment's value. Offered disabled, with the reason,
 * when another value defined in the run is used after it (a block returns one value).
 */
export function extractToBlock(ctx: ProviderContext, selection: SourceRange): CodeAction | undefined {
  const model = ctx.result.file.decls.find(
    (d): d is ModelDecl => d.kind === 'Model' && contains(d.range, selection),
  );
  if (!model || selection.end <= selection.start) return undefined;
  const run = selectedRun(model, selection);
  if (!run) return undefined;
  const span: SourceRange = { start: run[0]!.range.start, end: run[run.length - 1]!.range.end };
  const last = run[run.length - 1]!;

  const modelSymbols = ctx.result.symbols.filter((s) => s.container === model.name.name);
  const definedInside = modelSymbols.filter((s) => contains(span, s.definition));
  const escaping = definedInside.filter(
    (s) => s.definition.start !== last.name.range.start && s.references.some((r) => !contains(span, r)),
  );
  if (escaping.length > 0) {
    const names = escaping.map((s) => `'${s.name}'`).join(', ');
    return { title: TITLE, kind: CodeActionKind.RefactorExtract, disabled: { reason: `${names} is used after the selection` } };
  }

  const params = freeValues(modelSymbols, span);
  const blockName = freshName(ctx, 'extracted');
  const text = ctx.document.getText();
  const body = reindent(text.slice(lineStart(text, span.start), span.end));
  const paramList = params.map((p) => p.name).join(', ');
  const block = `block ${blockName}(${paramList}) {\n${body}\n  return ${last.name.name}\n}\n\n`;
  const call = `${last.name.name} = ${blockName}(${paramList})`;
  const insertAt = lineStart(text, model.range.start);
  return {
    title: TITLE,
    kind: CodeActionKind.RefactorExtract,
    edit: {
      changes: {
        [ctx.document.uri]: [
          { range: toRange(ctx.document, { start: insertAt, end: insertAt }), newText: block },
          { range: toRange(ctx.document, span), newText: call },
        ],
      },
    },
  };
}

/** The assignments the selection touches, if they are consecutive statements of the model. */
function selectedRun(model: ModelDecl, selection: SourceRange): AssignStmt[] | undefined {
  const touched = model.body
    .map((statement, index) => ({ statement, index }))
    .filter(({ statement }) => overlaps(statement.range, selection));
  if (touched.length === 0) return undefined;
  if (touched.some(({ statement }) => statement.kind !== 'Assign')) return undefined;
  const first = touched[0]!.index;
  if (touched.some(({ index }, i) => index !== first + i)) return undefined;
  return touched.map(({ statement }) => statement as AssignStmt);
}

/** Values and model constants read inside `span` but defined outside it, in order of first use. */
function freeValues(symbols: SymbolInfo[], span: SourceRange): SymbolInfo[] {
  const free = symbols
    .filter((s) => ['input', 'value', 'output', 'const'].includes(s.kind) && !contains(span, s.definition))
    .map((s) => ({ symbol: s, firstUse: Math.min(...s.references.filter((r) => contains(span, r)).map((r) => r.start)) }))
    .filter((f) => Number.isFinite(f.firstUse));
  const isTensor = (s: SymbolInfo): number => (s.kind === 'const' ? 1 : 0);
  free.sort((a, b) => isTensor(a.symbol) - isTensor(b.symbol) || a.firstUse - b.firstUse);
  return free.map((f) => f.symbol);
}

function freshName(ctx: ProviderContext, base: string): string {
  const taken = new Set(ctx.result.symbols.map((s) => s.name));
  if (!taken.has(base)) return base;
  let i = 2;
  while (taken.has(`${base}${i}`)) i++;
  return `${base}${i}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Re-indents statement lines to two spaces, keeping their relative indentation. */
function reindent(source: string): string {
  const lines = source.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const common = Math.min(...indents);
  return lines.map((l) => (l.trim() === '' ? '' : `  ${l.slice(common)}`)).join('\n');
}
