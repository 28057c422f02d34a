#!/usr/bin/env node
// The checker's budget on hostile sizes (issue 14): a 10 MB file of ~35,000 one-layer models with
// long names, and a 64 KB name one letter away from another (the did-you-mean search).
//
//   npx tsc -p tsconfig.json && node --expose-gc bench/check-budget.mjs
//
// Budget: each under 5 s and 1 GB on a free core. test/compiler/check/bounded.test.ts asserts the
// same with a margin wide enough for a shared machine; this measures the figure itself.

import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { manyModels } from './generated-model.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = `${root}dist/compiler/index.js`;
if (!existsSync(entry)) {
  console.error('bench/check-budget: build first with `npx tsc -p tsconfig.json` (dist/ is missing)');
  process.exit(2);
}
const { checkSource } = await import(pathToFileURL(entry).href);


const cases = [
  ['10 MB of models', manyModels(10_000_000)],
  ['64 KB near-miss names', `model M {\n  input ${'a'.repeat(32_000)}: [batch, 3]\n  y = dense(${'a'.repeat(32_001)}, 4)\n  output y\n}\n`],
];
for (const [name, text] of cases) {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = checkSource(text);
  const seconds = (performance.now() - started) / 1000;
  const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  console.log(`${name}: ${(text.length / 1e6).toFixed(1)} MB, ${result.models.length} models, ${seconds.toFixed(2)} s, heap +${grown.toFixed(0)} MiB${seconds < 5 && grown < 1024 ? '' : '  OVER BUDGET'}`);
}
