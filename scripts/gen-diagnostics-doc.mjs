#!/usr/bin/env node
// Regenerates docs/diagnostics.md from the diagnostics table. Run after `npx tsc -p tsconfig.json`:
//   node scripts/gen-diagnostics-doc.mjs
import { writeFileSync } from 'node:fs';
import { diagnosticsDoc } from '../dist/cli/format/diagnostics-doc.js';

const target = new URL('../docs/diagnostics.md', import.meta.url);
writeFileSync(target, diagnosticsDoc());
console.log(`wrote ${target.pathname}`);
