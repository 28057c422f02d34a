import { DIAGNOSTICS } from '../../diagnostics/table.js';

const SECTIONS: Array<{ prefix: string; title: string }> = [
  { prefix: 'NN1', title: 'Syntax (NN1xxx)' },
  { prefix: 'NN2', title: 'Names, blocks, arguments and shapes (NN2xxx)' },
  { prefix: 'NN3', title: 'The train section (NN3xxx)' },
  { prefix: 'NN4', title: 'Limits and input (NN4xxx)' },
  { prefix: 'NN5', title: 'Compiling (NN5xxx)' },
];

/**
 * docs/diagnostics.md, generated from the one diagnostics table (diagnostics/table.ts) by
 * scripts/gen-diagnostics-doc.mjs; a test keeps the file in step with the table.
 */
export function diagnosticsDoc(): string {
  const out = [
    '# Diagnostics',
    '',
    '<!-- Generated from diagnostics/table.ts by scripts/gen-diagnostics-doc.mjs; do not edit by hand. -->',
    '',
    'Every message of `nnet check` and of the language server carries a stable code. `{0}`, `{1}`... in a',
    'message stand for the names, shapes and values of the case at hand.',
    '',
  ];
  for (const section of SECTIONS) {
    const rows = DIAGNOSTICS.filter((d) => d.code.startsWith(section.prefix));
    if (rows.length === 0) continue;
    out.push(`## ${section.title}`, '');
    for (const d of rows) {
      out.push(`### ${d.code} (${d.severity})`, '', `Message: \`${d.template.replace(/`/g, "'")}\``, '', d.explanation, '');
    }
  }
  return out.join('\n');
}
