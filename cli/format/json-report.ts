import type { CheckResult } from '../../compiler/api-types.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { LineMap } from '../../diagnostics/line-map.js';

/** The machine-readable form of `nnet check --json`: positions as 1-based line and column. */
export interface JsonFileReport {
  file: string;
  diagnostics: JsonDiagnostic[];
  models: JsonModel[];
}

interface JsonDiagnostic {
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related: Array<{ message: string; line: number; column: number }>;
  fix?: { title: string; edits: Array<{ line: number; column: number; endLine: number; endColumn: number; newText: string }> };
}

interface JsonModel {
  name: string;
  ok: boolean;
  totalParams: number;
  trainableParams: number;
  layers: Array<{ layer: string; op: string; outputShape: Array<number | string>; dtype: string; params: number }>;
}

export function jsonReport(file: string, text: string, result: CheckResult): JsonFileReport {
  const lines = new LineMap(text);
  const at = (offset: number) => lines.lineColumn(offset);
  return {
    file,
    diagnostics: result.diagnostics.map((d) => {
      const start = at(d.range.start);
      const end = at(d.range.end);
      const json: JsonDiagnostic = {
        code: d.code,
        severity: d.severity,
        message: d.message,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        related: (d.related ?? []).map((r) => ({ message: r.message, ...at(r.range.start) })),
      };
      if (d.fix) {
        json.fix = {
          title: d.fix.title,
          edits: d.fix.edits.map((e) => {
            const s = at(e.range.start);
            const t = at(e.range.end);
            return { line: s.line, column: s.column, endLine: t.line, endColumn: t.column, newText: e.newText };
          }),
        };
      }
      return json;
    }),
    models: result.models.map((m) => ({
      name: m.name,
      ok: m.ok,
      totalParams: m.totalParams,
      trainableParams: m.trainableParams,
      layers: m.summary.map((r) => ({ layer: r.layer, op: r.op, outputShape: r.outputShape, dtype: r.dtype, params: r.params })),
    })),
  };
}
