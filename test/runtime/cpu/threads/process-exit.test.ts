import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Workers never keep a process alive: a script that ran products on two threads ends as soon as its
 * own work does. The script is bundled from the sources with esbuild and run by a plain Node, as the
 * CLI would run it.
 */
const folder = mkdtempSync(join(tmpdir(), 'nnet-threads-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const SCRIPT = `
import { poolStats } from './runtime/cpu/threads/pool.ts';
import { setCpuThreads } from './runtime/cpu/threads/thread-count.ts';
import { sgemmModule, sgemmSimd } from './runtime/cpu/wasm/sgemm-simd.ts';
setCpuThreads(2);
const [m, n, k] = [256, 256, 256];
const a = new Float32Array(m * k).fill(1), b = new Float32Array(k * n).fill(1), c = new Float32Array(m * n);
const started = Date.now();
// Until the worker has started and taken part in a product (it starts without being waited for).
while (poolStats().jobs === 0 && Date.now() - started < 20000) {
  sgemmSimd(sgemmModule(), a, k, 1, b, n, 1, c, m, n, k);
  await new Promise((resolve) => setTimeout(resolve, 5));
}
console.log(JSON.stringify({ ...poolStats(), c0: c[0] }));
`;

describe('the worker pool and process exit', () => {
  it('a process that used worker threads exits when its work is done', async () => {
    const outfile = join(folder, 'script.mjs');
    await build({ stdin: { contents: SCRIPT, resolveDir: process.cwd(), loader: 'ts' }, outfile, bundle: true, format: 'esm', platform: 'node', logLevel: 'error' });
    const started = Date.now();
    const child = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60000 });
    const elapsed = Date.now() - started;
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    const stats = JSON.parse(child.stdout) as { workers: number; jobs: number; c0: number };
    expect(stats.workers).toBe(1);
    expect(stats.jobs).toBeGreaterThan(0);
    expect(stats.c0).toBe(256);
    // Startup, the worker's start and one product: seconds on a loaded machine; a kept-alive process would hit the timeout.
    expect(elapsed).toBeLessThan(30000);
  });
});
