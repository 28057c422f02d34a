import { basicSetup } from 'codemirror';
import { linter, lintGutter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import { EditorState, type Extension, type Range } from '@codemirror/state';
import { Decoration, EditorView, hoverTooltip, keymap, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import type { Diagnostic } from '../diagnostics/types.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatNnet } from '../grammar/format/index.js';
import { formattedEdits } from '../lsp/providers/formatting.js';
import { hover } from '../lsp/providers/hover.js';
import { inlayHints } from '../lsp/providers/inlay-hints.js';
import { checkText } from './check.js';
import { nnetHighlighting } from './highlight.js';

/** Called with every check's diagnostics (the page lists them under the editor). */
export type DiagnosticsListener = (diagnostics: Diagnostic[], text: string) => void;

/**
 * The editor: CodeMirror 6 with the real front end behind it — squiggles and messages from
 * `checkSource` (the CLI's codes and messages), hover from the language server's provider (shapes,
 * parameters, FLOPs), the checker's fixes as actions on a squiggle, inlay shapes after every layer from its inlay-hint provider, and the formatter
 * `nnet fmt` runs (Shift-Alt-F).
 */
export function createEditor(parent: HTMLElement, text: string, onDiagnostics: DiagnosticsListener): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        EditorView.lineWrapping,
        nnetHighlighting,
        keymap.of([{ key: 'Shift-Alt-f', run: (view) => (void formatEditor(view), true) }]),
        nnetLinter(onDiagnostics),
        lintGutter(),
        nnetHover,
        inlayShapes,
      ],
    }),
  });
}

/** Replaces the whole text by the editor's content formatted; a syntax error is returned, not thrown. */
export async function formatEditor(view: EditorView): Promise<string | null> {
  const text = view.state.doc.toString();
  try {
    const formatted = await formatNnet(text);
    if (formatted !== text) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: formatted } });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function nnetLinter(onDiagnostics: DiagnosticsListener): Extension {
  return linter(
    (view) => {
      const text = view.state.doc.toString();
      const { result } = checkText(text);
      onDiagnostics(result.diagnostics, text);
      return result.diagnostics.map((d) => toLint(d, text.length));
    },
    { delay: 250 },
  );
}

/** A checker diagnostic as CodeMirror's, its fix (the language server's quick fix) as an action. */
function toLint(d: Diagnostic, length: number): LintDiagnostic {
  const from = Math.min(d.range.start, length);
  const to = Math.min(Math.max(d.range.end, from), length);
  const fix = d.fix;
  const actions = fix
    ? [{ name: fix.title, apply: (view: EditorView) => void applyFix(view, fix) }]
    : [];
  return { from, to, severity: d.severity, source: d.code, message: d.message, actions };
}

/** Applies a fix as the language server's quick fix does: the edited lines come out as `nnet fmt` prints them. */
async function applyFix(view: EditorView, fix: NonNullable<Diagnostic['fix']>): Promise<void> {
  const text = view.state.doc.toString();
  const document = TextDocument.create('playground.nnet', 'nnet', 0, text);
  const edits = fix.edits.map((e) => ({ range: { start: document.positionAt(e.range.start), end: document.positionAt(e.range.end) }, newText: e.newText }));
  const formatted = await formattedEdits(document, edits);
  if (view.state.doc.toString() !== text) return; // typed over while the formatter ran: the fix no longer applies
  const changes = formatted.map((e) => ({ from: document.offsetAt(e.range.start), to: document.offsetAt(e.range.end), insert: e.newText }));
  view.dispatch({ changes: changes.sort((a, b) => a.from - b.from) });
}

const nnetHover = hoverTooltip((view, pos) => {
  const ctx = checkText(view.state.doc.toString());
  const found = hover(ctx, ctx.document.positionAt(pos));
  if (!found) return null;
  const contents = found.contents;
  const value = typeof contents === 'string' ? contents : 'value' in contents ? contents.value : '';
  const from = found.range ? ctx.document.offsetAt(found.range.start) : pos;
  const to = found.range ? ctx.document.offsetAt(found.range.end) : pos;
  return {
    pos: from,
    end: to,
    create: () => {
      const dom = document.createElement('div');
      dom.className = 'nnet-hover';
      dom.textContent = plainMarkdown(value);
      return { dom };
    },
  };
});

/** The hover's markdown as text: code fences and emphasis marks dropped, the rest kept as written. */
function plainMarkdown(markdown: string): string {
  return markdown
    .replace(/^```\w*\n?/gm, '')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .trim();
}

class ShapeWidget extends WidgetType {
  constructor(private readonly label: string) {
    super();
  }
  override eq(other: ShapeWidget): boolean {
    return other.label === this.label;
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'cm-inlay';
    span.textContent = this.label;
    return span;
  }
}

/** Inlay shapes: the language server's inlay hints (`→ [batch, 128]`) as widgets after each value. */
function shapeDecorations(view: EditorView): DecorationSet {
  const ctx = checkText(view.state.doc.toString());
  const end = ctx.document.positionAt(view.state.doc.length);
  const hints = inlayHints(ctx, { start: { line: 0, character: 0 }, end });
  const ranges: Range<Decoration>[] = hints.map((hint) => {
    const label = typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
    return Decoration.widget({ widget: new ShapeWidget(label.trim()), side: 1 }).range(ctx.document.offsetAt(hint.position));
  });
  return Decoration.set(ranges, true);
}

const inlayShapes = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = shapeDecorations(view);
    }
    update(update: ViewUpdate): void {
      if (update.docChanged) this.decorations = shapeDecorations(update.view);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);
