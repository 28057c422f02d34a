// Runs the WebGPU benchmark: bundles bench/webgpu/bench.ts (TypeScript, importing the compiler and
// the runtime) with esbuild into a temporary file, then runs it.
//   node bench/webgpu/run.mjs            # smoke sizes on a software adapter, issue sizes on a GPU
//   node bench/webgpu/run.mjs --full     # issue sizes everywhere (slow on lavapipe)
// On a machine with an NVIDIA GPU: install the Vulkan loader (libvulkan1) and point VK_DRIVER_FILES at
// the NVIDIA ICD json (docs/webgpu.md).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside node_modules so that the bundle's package imports (webgpu, esbuild-external) resolve.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules/.cache/nnet-bench-webgpu-'));
const outfile = join(dir, 'bench.mjs');
try {
  await build({
    entryPoints: [join(root, 'bench/webgpu/bench.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
