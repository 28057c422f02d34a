// Bundles the VS Code client and the language server into dist/ with esbuild (both CommonJS,
// as VS Code loads extensions with require; `vscode` is provided by the editor at run time).
// Minified; the source maps stay in dist/ for debugging and out of the .vsix (.vscodeignore).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
};

await build({ ...common, absWorkingDir: root, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
await build({ ...common, absWorkingDir: root, entryPoints: ['src/server.ts'], outfile: 'dist/server.js' });
console.log('built dist/extension.js and dist/server.js');
