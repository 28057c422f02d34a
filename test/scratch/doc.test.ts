import { it } from 'vitest';
import { findOp } from '../../compiler/ops/registry.js';
it('doc', () => {
  const out: string[] = [];
  for (const name of (process.env.OPS ?? '').split(',')) {
    const op = findOp(name)!;
    const sig = op.params.map((p) => {
      if (p.kind === 'tensor' || p.kind === 'tensors') return p.name;
      const d = p.defaultText ?? (p.default === undefined ? undefined : typeof p.default === 'object' && p.default !== null && 'name' in (p.default as object) ? (p.default as { name: string }).name : String(p.default));
      if (p.namedOnly) return `${p.name}: ${d}`;
      return d === undefined ? p.name : `${p.name} = ${d}`;
    });
    out.push(`#### ${op.name}`, '', `\`${op.name}(${sig.join(', ')})\``, '', op.doc, '', `- shape: ${op.shapeRule}`, `- IR: ${op.irForm}`, '');
    const rows = op.params.filter((p) => p.kind !== 'tensor' && p.kind !== 'tensors');
    if (rows.length) {
      out.push('| argument | default | meaning |', '|---|---|---|');
      for (const p of rows) {
        const d = p.defaultText ?? (p.default === undefined ? 'required' : typeof p.default === 'object' && p.default !== null && 'name' in (p.default as object) ? (p.default as { name: string }).name : String(p.default));
        out.push(`| \`${p.name}\`${p.namedOnly ? ' (named)' : ''} | ${d === 'required' ? 'required' : `\`${d}\``} | ${p.doc} |`);
      }
      out.push('');
    }
  }
  console.log(out.join('\n'));
});
