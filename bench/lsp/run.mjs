// Language server latency on a generated 2,000-line model (run `npx tsc -p tsconfig.json` first):
//   node bench/lsp/run.mjs [--iterations 200]
// Drives the document store and providers in process, as the server does for each request.
// Targets (issue 5): p95 < 10 ms for hover and completion, < 50 ms for diagnostics after an edit.
// Edits: a digit typed into a layer's argument (the common case), a statement typed into a model
// character by character (mostly unparsable in between), and an edit to the block every model uses.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const dist = new URL('../../dist/', import.meta.url);
const load = (path) => import(new URL(path, dist).href);
const { DocumentStore } = await load('lsp/documents.js');
const { loadCatalog } = await load('lsp/op-catalog.js');
const { toLspDiagnostics } = await load('lsp/providers/diagnostics.js');
const { hover } = await load('lsp/providers/hover.js');
const { completion } = await load('lsp/providers/completion.js');
const { inlayHints } = await load('lsp/providers/inlay-hints.js');

const argIndex = process.argv.indexOf('--iterations');
const iterations = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 200;
const LINES = 2000;

/** A 2,000-line file: blocks, several models of dense/pipeline layers, comments, train sections. */
function generate() {
  const lines = ['// generated for bench/lsp', 'let width = 64', '', 'block mlp(x, units) {', '  h = dense(x, units, relu)', '  return dense(h, units)', '}', ''];
  let model = 0;
  while (lines.length < LINES - 20) {
    lines.push(`model M${model} {`, '  input x: [batch, 64]', '  input t: [batch, 64]', '  h0 = dense(x, width, relu)');
    for (let i = 1; i < 90 && lines.length < LINES - 12; i++) {
      if (i % 10 === 0) lines.push(`  // stage ${i}`);
      lines.push(i % 3 === 0 ? `  h${i} = h${i - 1} |> dense(64, relu) |> dropout(0.1)` : i % 3 === 1 ? `  h${i} = mlp(h${i - 1}, 64)` : `  h${i} = dense(h${i - 1}, 64, tanh)`);
    }
    const lastName = /^\s*(h\d+)/.exec([...lines].reverse().find((l) => /^\s*h\d+ =/.test(l)))[1];
    lines.push(`  output ${lastName}`, '  train {', `    loss mse(${lastName}, t)`, '    optimizer adam(lr: 1e-3)', '    epochs 5  batch 32', '  }', '}', '');
    model++;
  }
  return lines.join('\n');
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5).toFixed(2), p95: at(0.95).toFixed(2), max: sorted[sorted.length - 1].toFixed(2) };
}

function time(fn) {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const text = generate();
const uri = 'file:///bench/big.nnet';
const catalog = loadCatalog();
const store = new DocumentStore({ debounceMs: 1e9 });
store.open(uri, 1, text);
const first = store.analysis(uri);
const lineCount = text.split('\n').length;
console.log(`file: ${lineCount} lines, ${text.length} chars; ${first.result.diagnostics.length} diagnostics, ${first.result.values.length} values, ${first.result.symbols.length} symbols`);

// Lines to aim at: layer calls (`dense(`) for hover, argument positions for completion.
const targets = [];
text.split('\n').forEach((line, i) => {
  const col = line.indexOf('dense(');
  if (col >= 0) targets.push({ line: i, hoverChar: col + 2, completeChar: line.indexOf(')', col) });
});
const pick = (k) => targets[(k * 7919) % targets.length];

let version = 1;
const results = {};
const edit = [];
for (let k = 0; k < iterations; k++) {
  // Type one character into a units argument, then take it out again: two versions per iteration.
  const t = pick(k);
  const position = { line: t.line, character: t.completeChar };
  edit.push(
    time(() => {
      store.change(uri, ++version, [{ range: { start: position, end: position }, text: '0' }]);
      const { document, result } = store.analysis(uri);
      toLspDiagnostics(document, result);
    }),
  );
  store.change(uri, ++version, [{ range: { start: position, end: { line: t.line, character: t.completeChar + 1 } }, text: '' }]);
  store.analysis(uri);
}
results['diagnostics after an edit'] = stats(edit);

// Typing a statement into a model one character at a time: most intermediate texts do not parse
// (`h = dense(h1, 3` ...), then the line is deleted again in one edit.
const typed = [];
const statement = 'extra = dense(h1, 32, relu) |> dropout(0.2)';
for (let k = 0; k < Math.max(1, Math.floor(iterations / statement.length)) * 2; k++) {
  const line = pick(k * 13 + 5).line;
  const at = { line, character: 0 };
  store.change(uri, ++version, [{ range: { start: at, end: at }, text: '  \n' }]);
  store.analysis(uri);
  for (let c = 0; c < statement.length; c++) {
    const position = { line, character: 2 + c };
    typed.push(
      time(() => {
        store.change(uri, ++version, [{ range: { start: position, end: position }, text: statement[c] }]);
        const { document, result } = store.analysis(uri);
        toLspDiagnostics(document, result);
      }),
    );
  }
  store.change(uri, ++version, [{ range: { start: at, end: { line: line + 1, character: 0 } }, text: '' }]);
  store.analysis(uri);
}
results['diagnostics while typing a line'] = stats(typed);

// An edit inside the block every model uses: every model must be checked again.
const blockLine = text.split('\n').findIndex((l) => l.includes('return dense(h, units)'));
const blockEdits = [];
for (let k = 0; k < Math.max(5, iterations / 5); k++) {
  const position = { line: blockLine, character: '  return dense(h, units'.length };
  blockEdits.push(
    time(() => {
      store.change(uri, ++version, [{ range: { start: position, end: position }, text: ', relu' }]);
      const { document, result } = store.analysis(uri);
      toLspDiagnostics(document, result);
    }),
  );
  store.change(uri, ++version, [{ range: { start: position, end: { line: blockLine, character: position.character + ', relu'.length } }, text: '' }]);
  store.analysis(uri);
}
results['diagnostics after a block edit'] = stats(blockEdits);

const ctx = () => ({ ...store.analysis(uri), catalog });
const measure = (name, fn) => {
  const samples = [];
  for (let k = 0; k < iterations; k++) samples.push(time(() => fn(k)));
  results[name] = stats(samples);
};
measure('hover', (k) => hover(ctx(), { line: pick(k).line, character: pick(k).hoverChar }));
measure('completion', (k) => completion(ctx(), { line: pick(k).line, character: pick(k).completeChar }));
measure('inlay hints (60-line viewport)', (k) => {
  const line = pick(k).line;
  inlayHints(ctx(), { start: { line, character: 0 }, end: { line: line + 60, character: 0 } });
});
measure('inlay hints (whole file)', () => inlayHints(ctx(), { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } }));

// The store's pending debounce timer (1e9 ms) would otherwise keep the process alive for days.
store.dispose();
console.log(`iterations: ${iterations}; times in ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.table(results);
