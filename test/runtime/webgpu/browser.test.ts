import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { f32, i32, type HostTensor } from '../../../runtime/tensor.js';
import { writeSafetensors } from '../../../runtime/weights/safetensors.js';
import { runCli } from '../../cli/run-cli.js';
import { xorModel } from './models.js';

/**
 * The browser example end to end: build the runtime bundle, serve the repository and a compiled xor
 * plan (weights embedded) on 127.0.0.1, open examples/web/index.html in headless Chromium (Debian's
 * `chromium`, WebGPU on SwiftShader), and check that it infers what the CPU back end infers and that
 * a few training steps lower the loss. Skips when chromium is not installed.
 */
const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));
const ROOT = join(import.meta.dirname, '..', '..', '..');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.map': 'application/json' };

if (!CHROMIUM) console.warn('browser test skipped: chromium not found (apt-get install chromium)');

function embedWeights(plan: Plan, weights: Map<string, Float32Array | Int32Array>): Plan {
  const tensors = new Map<string, HostTensor>();
  for (const t of plan.tensors) {
    const data = weights.get(t.name);
    if (data) tensors.set(t.name, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return { ...plan, weights: { base64: Buffer.from(writeSafetensors(tensors)).toString('base64') } };
}

describe.skipIf(!CHROMIUM)('examples/web in headless Chromium', () => {
  let server: Server;
  let browser: BrowserContext;
  let port = 0;
  const profile = mkdtempSync(join(tmpdir(), 'nnet-chromium-'));
  const { plan, weights } = xorModel();
  const demo = {
    plan: '/demo/plan.json',
    inputs: { x: [[0, 0], [0, 1], [1, 0], [1, 1]] },
    labels: { label: [0, 1, 1, 0] },
    steps: 5,
    lr: 0.05,
  };
  const routes: Record<string, string> = {
    '/demo/plan.json': JSON.stringify(embedWeights(emitWebGpuPrograms(plan), weights)),
    '/demo/demo.json': JSON.stringify(demo),
  };

  beforeAll(async () => {
    // As docs/webgpu.md says: the page's demo.json names ./xor.plan.json, made by compile --embed-weights.
    const documented = join(profile, 'xor.plan.json');
    const compiled = await runCli(['compile', join(ROOT, 'examples/xor.nnet'), '--target', 'webgpu', '--embed-weights', '-o', documented]);
    if (compiled.code !== 0) throw new Error(compiled.stderr);
    routes['/examples/web/xor.plan.json'] = readFileSync(documented, 'utf8');
    execFileSync(process.execPath, [join(ROOT, 'examples/web/build.mjs')], { stdio: 'pipe' });
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const file = normalize(join(ROOT, path));
      const body = routes[path] ?? (file.startsWith(ROOT) && existsSync(file) ? readFileSync(file) : null);
      res.writeHead(body === null ? 404 : 200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM!,
      headless: true,
      args: [
        '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  });

  it('works as documented: demo.json next to the page, a plan from compile --embed-weights, a table', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/examples/web/index.html`);
    await page.waitForFunction(() => (window as { nnetResult?: unknown }).nnetResult !== undefined, undefined, { timeout: 90_000 });
    const result = (await page.evaluate(() => (window as { nnetResult?: unknown }).nnetResult)) as { error?: string; model: string; losses: number[] };
    expect(result.error).toBeUndefined();
    expect(result.model).toBe('Xor');
    expect(result.losses).toHaveLength(20);
    expect(result.losses[19]!).toBeLessThan(result.losses[0]!);
    expect(await page.locator('#result table tbody tr').count()).toBe(4);
    expect(await page.locator('#result th').allTextContents()).toEqual(['x', 'target', 'probability before', 'probability after']);
    expect(await page.textContent('#result')).toMatch(/20 training steps: loss \d\.\d{4} → \d\.\d{4}/);
  }, 120_000);

  it('runs inference and training steps of a compiled plan', async () => {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    await page.goto(`http://127.0.0.1:${port}/examples/web/index.html?demo=/demo/demo.json`);
    await page.waitForFunction(() => (window as { nnetResult?: unknown }).nnetResult !== undefined, undefined, { timeout: 90_000 });
    const result = (await page.evaluate(() => (window as { nnetResult?: unknown }).nnetResult)) as {
      error?: string; adapter: string; before: Record<string, number[]>; losses: number[]; after: Record<string, number[]>;
    };
    expect(result.error, console.join('\n')).toBeUndefined();
    process.stdout.write(`browser WebGPU adapter: ${result.adapter}\n`);
    const cpu = createCpuExecutor(plan, weights);
    const expected = await cpu.infer({ x: f32([4, 2], demo.inputs.x.flat()), label: i32([4], demo.labels.label) });
    const logits = Array.from(expected.logits!.data);
    result.before.logits!.forEach((v, i) => expect(Math.abs(v - logits[i]!)).toBeLessThan(1e-5));
    expect(result.losses).toHaveLength(5);
    expect(result.losses[4]!).toBeLessThan(result.losses[0]!);
    expect(result.after.logits).not.toEqual(result.before.logits);
  }, 120_000);
});
