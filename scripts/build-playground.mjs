// Builds the playground into dist/playground/ (from the TypeScript sources; no tsc output needed):
//   main.js         the page: CodeMirror 6, the compiler's front end and back end, the Prettier
//                   plugin, the LSP hover and inlay-hint providers, the CPU and WebGPU runtimes
//   index.html, playground.css
//   iris.json, data/  the iris rows, and the data files of examples/data/ (csv, json)
//   digits.bin.gz   the built-in digits as bytes (784 pixels per image, then the labels), gzipped;
//                   the page splits them with the same function as `nnet train` (runtime/data/digits.ts)
//   node scripts/build-playground.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/playground');
mkdirSync(out, { recursive: true });

/**
 * The compiler reads weight files (`weight: load("w.npy")`) with node:fs; a page has no files, so
 * those imports resolve to a module that says so (the compiler reports it as a diagnostic).
 */
const noNodeFiles = {
  name: 'no-node-files',
  setup(b) {
    b.onResolve({ filter: /^node:(fs|path)$/ }, () => ({ path: join(root, 'playground/node-shim.ts') }));
  },
};

const result = await build({
  entryPoints: [join(root, 'playground/main.ts')],
  outfile: join(out, 'main.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  metafile: true,
  // Dawn's bindings are imported only in Node (the page uses navigator.gpu).
  external: ['webgpu'],
  // The language server's providers import protocol values (MarkupKind, InlayHintKind) from the
  // server package; in the page the same values come from the types package, without Node's streams.
  alias: { 'vscode-languageserver': 'vscode-languageserver-types' },
  loader: { '.nnet': 'text' },
  plugins: [noNodeFiles],
  logLevel: 'warning',
});
for (const file of ['index.html', 'playground.css']) copyFileSync(join(root, 'playground', file), join(out, file));

// The digits as `nnet train` reads them (runtime/data/builtins.ts), bundled for Node to run here.
const packer = join(root, 'dist/.playground-build/pack-digits.mjs');
await build({
  stdin: {
    contents: "export { readDigits, readIrisRows } from './runtime/data/builtins.ts'; export { encodeDigitBytes } from './runtime/data/digits.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  outfile: packer,
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
});
const { readDigits, readIrisRows, encodeDigitBytes } = await import(pathToFileURL(packer).href);
rmSync(dirname(packer), { recursive: true, force: true });
writeFileSync(join(out, 'iris.json'), JSON.stringify(readIrisRows()));
// The examples' data files, where their `data csv("data/...")` finds them relative to the page.
mkdirSync(join(out, 'data'), { recursive: true });
for (const file of readdirSync(join(root, 'examples/data')).filter((f) => /\.(csv|json|npy|idx)$/.test(f))) {
  copyFileSync(join(root, 'examples/data', file), join(out, 'data', file));
}
const { pixels, labels } = readDigits();
const digits = gzipSync(encodeDigitBytes(pixels, labels), { level: 9 });
writeFileSync(join(out, 'digits.bin.gz'), digits);

const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(`dist/playground: main.js ${(bytes / 1024).toFixed(0)} KiB, digits.bin.gz ${(digits.length / 1024).toFixed(0)} KiB (${labels.length} images)`);
