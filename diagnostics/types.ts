/** A span of a document as character offsets (UTF-16 code units), `end` exclusive: the one position currency. */
export interface SourceRange {
  /** Offset of the first character. */
  start: number;
  /** Offset one past the last character. */
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A text edit that repairs the problem; offsets are into the same document as the diagnostic. */
interface TextEdit {
  range: SourceRange;
  newText: string;
}

export interface Fix {
  /** What the fix does, shown as a quick-fix title: "Insert flatten before dense". */
  title: string;
  edits: TextEdit[];
}

/** A second place that explains the diagnostic, e.g. where a tensor's shape came from. */
export interface RelatedInfo {
  message: string;
  range: SourceRange;
}

export interface Diagnostic {
  /** Stable code from the diagnostics table, e.g. `NN2003`. */
  code: string;
  severity: Severity;
  message: string;
  range: SourceRange;
  related?: RelatedInfo[];
  fix?: Fix;
}

/** One row of the diagnostics table. `template` uses `{0}`, `{1}`... placeholders. */
export interface DiagnosticDef {
  code: string;
  severity: Severity;
  template: string;
  /** One or two sentences for docs/diagnostics.md: when it fires and how to fix it. */
  explanation: string;
}
