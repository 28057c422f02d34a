#!/usr/bin/env node
// Front-end speed on a generated 1,000-layer model: parse alone, and parse + check (names, block
// expansion, shapes, train section), as `nnet check` and the language server run them.
//
//   npx tsc -p tsconfig.json && node bench/parse-check.mjs [layers] [runs]
//
// Imports the built compiler (dist/), so it measures what users run. Prints the median and p95 of
// each over `runs` timed runs (default 20) after a warm-up. Target: parse + check under 100 ms.

import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateModel } from './generated-model.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const compilerEntry = `${root}dist/compiler/index.js`;
const grammarEntry = `${root}dist/grammar/index.js`;
if (!existsSync(compilerEntry) || !existsSync(grammarEntry)) {
  console.error('bench/parse-check: build first with `npx tsc -p tsconfig.json` (dist/ is missing)');
  process.exit(2);
}
const { checkSource } = await import(pathToFileURL(compilerEntry).href);
const { parse } = await import(pathToFileURL(grammarEntry).href);

const targetLayers = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 20);
const WARMUP_RUNS = 5;

function measure(fn) {
  for (let i = 0; i < WARMUP_RUNS; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { min: times[0], median: at(0.5), p95: at(0.95) };
}

const { text, layers } = generateModel(targetLayers);
const parsed = parse(text);
const checked = checkSource(text);
const errors = checked.diagnostics.filter((d) => d.severity === 'error');
if (parsed.diagnostics.length > 0 || errors.length > 0) {
  console.error('bench/parse-check: the generated model does not check clean:');
  for (const d of [...parsed.diagnostics, ...errors].slice(0, 5)) console.error(`  ${d.code} ${d.message}`);
  process.exit(1);
}
const summary = checked.models?.[0]?.summary;
const reportedLayers = Array.isArray(summary) ? summary.length : undefined;

const parseOnly = measure(() => parse(text));
const parseAndCheck = measure(() => checkSource(text));

const ms = (value) => `${value.toFixed(1).padStart(7)} ms`;
console.log(`nnet front end: ${layers} layers, ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KiB` +
  (reportedLayers !== undefined ? ` (checker summary: ${reportedLayers} layers)` : ''));
console.log(`node ${process.version}, ${runs} runs after ${WARMUP_RUNS} warm-up runs`);
// Timings on a shared machine depend on what else runs: the load average says how busy it was.
console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
console.log('');
console.log('                   median        p95        min');
console.log(`parse           ${ms(parseOnly.median)} ${ms(parseOnly.p95)} ${ms(parseOnly.min)}`);
console.log(`parse + check   ${ms(parseAndCheck.median)} ${ms(parseAndCheck.p95)} ${ms(parseAndCheck.min)}`);
console.log('');
console.log(`target: parse + check < 100 ms -> ${parseAndCheck.median < 100 ? 'met' : 'NOT met'} (median)`);
