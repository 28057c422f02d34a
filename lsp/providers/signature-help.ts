import type { Position, SignatureHelp } from 'vscode-languageserver';
import { callContextAt } from '../call-context.js';
import { blockEntry, signatureLabel } from '../catalog.js';
import { toOffset } from '../positions.js';
import type { ProviderContext } from './context.js';

/**
 * Signature help inside `op(...)`: the op's parameters with defaults, the active one following the
 * cursor. In a pipeline stage the first (tensor) argument is implicit, so the count shifts by one;
 * a named argument (`lr: `) selects its parameter wherever it is written.
 */
export function signatureHelp(ctx: ProviderContext, position: Position): SignatureHelp | null {
  const call = callContextAt(ctx.document.getText(), toOffset(ctx.document, position));
  if (!call) return null;
  const entry = ctx.catalog.lookup(call.callee) ?? blockEntry(ctx.result.file, ctx.document.getText(), call.callee);
  if (!entry) return null;
  const implicit = call.isPipeStage && entry.params[0]?.tensor !== false ? 1 : 0;
  let active = call.argIndex + implicit;
  if (call.currentName) {
    const named = entry.params.findIndex((p) => p.name === call.currentName);
    if (named >= 0) active = named;
  }
  return {
    signatures: [
      {
        label: signatureLabel(entry),
        documentation: { kind: 'markdown', value: entry.doc },
        parameters: entry.params.map((p) => ({
          label: p.default === undefined ? p.name : `${p.name} = ${p.default}`,
          documentation: p.doc,
        })),
      },
    ],
    activeSignature: 0,
    activeParameter: Math.min(active, Math.max(entry.params.length - 1, 0)),
  };
}
