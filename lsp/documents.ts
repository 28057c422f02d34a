import { fileURLToPath } from 'node:url';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { checkSource, checkSourceAfterEdit, type PreviousCheck } from '../compiler/index.js';
import type { CheckResult } from '../compiler/api-types.js';

/** One open document and the check of its current version. */
export interface Analysis {
  document: TextDocument;
  result: CheckResult;
}

export interface DocumentStoreOptions {
  /** Delay between the last edit and the background re-check that publishes diagnostics. */
  debounceMs?: number;
  /** Called after each background check (the server publishes diagnostics from it). */
  onChecked?: (analysis: Analysis) => void;
  /**
   * The front end; injectable so tests can count calls. `previous` is the last check of the same
   * document, which the default uses to re-parse only the edited model.
   */
  check?: (text: string, path: string | undefined, previous?: PreviousCheck) => CheckResult;
}

interface Entry {
  document: TextDocument;
  checked?: { version: number; text: string; result: CheckResult };
  timer?: ReturnType<typeof setTimeout>;
}

const DEFAULT_DEBOUNCE_MS = 150;

/**
 * The open documents, synced incrementally, each with the CheckResult of its latest version.
 * Edits schedule a debounced re-check; a request that arrives before it fires checks at once,
 * so every answer is computed against the text the editor shows, and never twice per version.
 */
export class DocumentStore {
  private readonly entries = new Map<string, Entry>();
  private readonly debounceMs: number;
  private readonly onChecked: (analysis: Analysis) => void;
  private readonly check: (text: string, path: string | undefined, previous?: PreviousCheck) => CheckResult;

  constructor(options: DocumentStoreOptions = {}) {
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.onChecked = options.onChecked ?? (() => {});
    this.check = options.check ?? defaultCheck;
  }

  open(uri: string, version: number, text: string): void {
    this.close(uri);
    this.entries.set(uri, { document: TextDocument.create(uri, 'nnet', version, text) });
    this.schedule(uri, 0);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    entry.document = TextDocument.update(entry.document, changes, version);
    this.schedule(uri, this.debounceMs);
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry?.timer) clearTimeout(entry.timer);
    this.entries.delete(uri);
  }

  document(uri: string): TextDocument | undefined {
    return this.entries.get(uri)?.document;
  }

  uris(): string[] {
    return [...this.entries.keys()];
  }

  /** The analysis of the current version, checking now if the cached one is stale. */
  analysis(uri: string): Analysis | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    const { document } = entry;
    if (entry.checked?.version !== document.version) {
      const text = document.getText();
      const previous = entry.checked && { text: entry.checked.text, result: entry.checked.result };
      entry.checked = { version: document.version, text, result: this.check(text, pathOf(uri), previous) };
    }
    return { document, result: entry.checked.result };
  }

  /** Runs any pending background check now (tests and shutdown). */
  flush(): void {
    for (const [uri, entry] of this.entries) {
      if (!entry.timer) continue;
      clearTimeout(entry.timer);
      entry.timer = undefined;
      this.publish(uri);
    }
  }

  dispose(): void {
    for (const uri of this.uris()) this.close(uri);
  }

  private schedule(uri: string, delayMs: number): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.publish(uri);
    }, delayMs);
  }

  private publish(uri: string): void {
    const analysis = this.analysis(uri);
    if (analysis) this.onChecked(analysis);
  }
}

function defaultCheck(text: string, path: string | undefined, previous?: PreviousCheck): CheckResult {
  const options = path === undefined ? {} : { path };
  return previous ? checkSourceAfterEdit(text, previous, options) : checkSource(text, options);
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
