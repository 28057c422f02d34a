// Builds the browser runtime bundle dist/web/nnet-runtime.js (ES module): the WebGPU executor and the
// plan loader, without the compiler. Node-only code paths (Dawn's `webgpu` package, node:fs) are
// left as external imports that the browser never reaches (it uses navigator.gpu).
//   node examples/web/build.mjs
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const result = await build({
  entryPoints: [join(root, 'runtime/webgpu/browser.ts')],
  outfile: join(root, 'dist/web/nnet-runtime.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['webgpu', 'node:*'],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs);
const leaked = inputs.filter((path) => path.startsWith('compiler/') || path.startsWith('grammar/'));
if (leaked.length > 0) {
  console.error(`the runtime bundle must not include the compiler: ${leaked.join(', ')}`);
  process.exit(1);
}
const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
console.log(`dist/web/nnet-runtime.js: ${inputs.length} modules, ${(bytes / 1024).toFixed(1)} KiB`);
