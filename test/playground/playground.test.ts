import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The playground end to end in Debian's Chromium (WebGPU on SwiftShader): build it
 * (scripts/build-playground.mjs), serve it as `npm run playground` does, type a shape error and see
 * its squiggle and message, fix it, hover a layer for its shape, format, train one epoch of digits-mlp on the
 * page's adapter — on 512 of the 8,000 training digits (and 512 test digits), to stay under a minute
 * on a software adapter — then draw a digit and read the prediction; and in a Chromium without
 * WebGPU, the CPU runtime, named in the header, trains iris. Screenshots go to
 * test/playground/screenshots/ (ignored by git). Skips when chromium is not installed.
 */
const CHROMIUM = ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find((p) => existsSync(p));
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(import.meta.dirname, 'screenshots');
const SAMPLES = 512;

if (!CHROMIUM) console.warn('playground test skipped: chromium not found (scripts/install-chromium.sh, or apt-get install chromium)');

interface PageState {
  backend: string | null;
  diagnostics: string[];
  training: string;
  history: Array<{ loss: number; accuracy?: number }>;
  testAccuracy: number | null;
  prediction: { digit: number; probabilities: number[] } | null;
  error: string | null;
  cpuWorkerJobs: number;
}

const pageState = (page: Page): Promise<PageState> => page.evaluate(() => (window as unknown as { nnetPlayground: PageState }).nnetPlayground);

describe.skipIf(!CHROMIUM)('the playground in headless Chromium', () => {
  let server: ChildProcess;
  let browser: BrowserContext;
  let cpuBrowser: BrowserContext | undefined;
  let url = '';
  const profile = mkdtempSync(join(tmpdir(), 'nnet-playground-chromium-'));

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-playground.mjs')], { stdio: 'pipe' });
    mkdirSync(SHOTS, { recursive: true });
    server = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs'), join(ROOT, 'dist/playground'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(String(chunk));
        if (found) resolve(found[0]);
      });
      server.on('exit', (code) => reject(new Error(`scripts/serve.mjs exited with ${code}`)));
    });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM!,
      headless: true,
      viewport: { width: 1360, height: 860 },
      args: [
        '--no-sandbox', '--enable-unsafe-webgpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await cpuBrowser?.close();
    await browser?.close();
    server?.kill();
    rmSync(profile, { recursive: true, force: true });
    rmSync(`${profile}-cpu`, { recursive: true, force: true });
  });

  it('falls back to the CPU runtime in a browser without WebGPU, and says so', async () => {
    cpuBrowser = await chromium.launchPersistentContext(`${profile}-cpu`, {
      executablePath: CHROMIUM!,
      headless: true,
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await cpuBrowser.newPage();
    await page.goto(`${url}?example=iris`);
    await page.waitForFunction(() => (window as unknown as { nnetPlayground?: PageState }).nnetPlayground?.backend, undefined, { timeout: 30_000 });
    // scripts/serve.mjs sends COOP and COEP: the page is cross-origin isolated, so the kernels run on every core.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = cores === 1 ? '1 thread' : `${Math.min(cores, 64)} threads`;
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent('#backend')).toBe(`runtime: CPU, ${threads} (this browser offers no WebGPU adapter)`);
    await page.click('#train');
    await page.waitForFunction(() => ['done', 'failed'].includes((window as unknown as { nnetPlayground: PageState }).nnetPlayground.training), undefined, { timeout: 30_000 });
    const state = await pageState(page);
    expect(state.error).toBeNull();
    expect(state.history).toHaveLength(1);
    expect(await page.textContent('#train-status')).toContain('trained Iris on iris (120 samples, 1 epoch)');
  });

  it('on the CPU runtime, a cross-origin isolated page trains digits-mlp with big products on worker threads', async () => {
    const page = await cpuBrowser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?example=digits-mlp&epochs=1&samples=${SAMPLES}`);
    await page.waitForFunction(() => (window as unknown as { nnetPlayground?: PageState }).nnetPlayground?.backend, undefined, { timeout: 30_000 });
    // The page starts its workers when it picks the CPU runtime; on a loaded machine they may still be
    // loading during a first short epoch (calls then run on the page's thread), so train up to 3 times.
    let state = await pageState(page);
    for (let attempt = 0; attempt < 3; attempt++) {
      await page.click('#train');
      await page.waitForFunction(() => ['done', 'failed'].includes((window as unknown as { nnetPlayground: PageState }).nnetPlayground.training), undefined, { timeout: 60_000 });
      state = await pageState(page);
      expect(state.error).toBeNull();
      if (state.cpuWorkerJobs > 0) break;
    }
    expect(errors).toEqual([]);
    if ((await page.evaluate(() => navigator.hardwareConcurrency)) > 1) expect(state.cpuWorkerJobs).toBeGreaterThan(0);
  });

  it('shows a shape error, trains digits-mlp on the page\'s adapter and classifies a drawn digit', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?example=digits-mlp&epochs=1&samples=${SAMPLES}`);
    await page.waitForFunction(() => {
      const s = (window as unknown as { nnetPlayground?: PageState }).nnetPlayground;
      return s?.backend && s.diagnostics.length > 0;
    }, undefined, { timeout: 30_000 });
    let state = await pageState(page);
    process.stdout.write(`playground runtime: ${state.backend}\n`);
    expect(state.backend).toMatch(/^WebGPU \(/);
    expect(await page.textContent('#backend')).toContain('WebGPU');
    expect(state.diagnostics).toEqual(['no problems']);
    expect(await page.locator('.cm-inlay', { hasText: '[batch, 512]' }).count()).toBeGreaterThan(0);

    // Type a shape error: `flatten` becomes `dropout(0.1)`, so the first dense gets [batch, 28, 28].
    const flattenLine = page.locator('.cm-line', { hasText: '|> flatten' });
    await flattenLine.click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type('|> dropout(0.1)');
    await page.waitForSelector('.cm-lintRange-error', { timeout: 10_000 });
    state = await pageState(page);
    expect(state.diagnostics.length).toBeGreaterThan(0);
    expect(state.diagnostics[0]).toMatch(/^playground\.nnet:10:\d+: error NN2\d{3}: .*\[batch, 28, 28\]/);
    await page.hover('.cm-lintRange-error');
    const tooltip = page.locator('.cm-tooltip-lint');
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.textContent()).toContain('[batch, 28, 28]');
    expect(await page.locator('.cm-tooltip-lint button').allTextContents()).toContain('Insert flatten before dense');
    await page.screenshot({ path: join(SHOTS, '1-shape-error.png') });

    // Fix it with the squiggle's quick fix: flatten is inserted on a line of its own, as `nnet fmt` prints
    // a pipeline (the fix's raw edit would put it on the dense's line); then hover the first dense.
    await page.locator('.cm-tooltip-lint button', { hasText: 'Insert flatten before dense' }).click();
    await page.waitForFunction(() => (window as unknown as { nnetPlayground: PageState }).nnetPlayground.diagnostics[0] === 'no problems', undefined, { timeout: 10_000 });
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    const pipeline = await page.locator('.cm-line').allTextContents();
    const dropoutAt = pipeline.findIndex((line) => line.includes('|> dropout(0.1)'));
    expect(pipeline[dropoutAt + 1]).toMatch(/^ +\|> flatten(→|$)/); // the inlay shape follows the text
    // Back to the example as written: delete the dropout line (CodeMirror's deleteLine, Shift-Mod-K).
    await page.locator('.cm-line', { hasText: '|> dropout(0.1)' }).click();
    await page.keyboard.press('Control+Shift+K');
    await page.waitForFunction(() => !document.querySelector('.cm-content')?.textContent?.includes('dropout(0.1)'), undefined, { timeout: 10_000 });
    const word = await page.evaluate(() => {
      const line = [...document.querySelectorAll('.cm-line')].find((l) => l.textContent?.includes('dense(512'))!;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf('dense');
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at + 1);
        range.setEnd(node, at + 3);
        const box = range.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }
      return null;
    });
    await page.mouse.move(word!.x, word!.y);
    const hover = page.locator('.nnet-hover');
    await hover.waitFor({ timeout: 10_000 });
    expect(await hover.textContent()).toMatch(/\[batch, 784\][\s\S]*\[batch, 512\]/);
    await page.screenshot({ path: join(SHOTS, '2-fixed-hover.png') });
    await page.mouse.move(0, 0);

    // Misindent a line; Format (the Prettier plugin of nnet fmt) puts it back.
    await page.locator('.cm-line', { hasText: 'output probs' }).click();
    await page.keyboard.press('Home');
    await page.keyboard.type('      ');
    expect(await page.locator('.cm-line', { hasText: 'output probs' }).textContent()).toMatch(/^ {8}output/);
    await page.click('#format');
    await page.waitForFunction(() => [...document.querySelectorAll('.cm-line')].some((l) => /^ {2}output probs/.test(l.textContent ?? '')), undefined, { timeout: 10_000 });

    // Train one epoch on SAMPLES digits.
    await page.click('#train');
    await page.waitForFunction(() => ['done', 'failed'].includes((window as unknown as { nnetPlayground: PageState }).nnetPlayground.training), undefined, { timeout: 60_000 });
    state = await pageState(page);
    expect(state.error).toBeNull();
    expect(state.history).toHaveLength(1);
    expect(state.history[0]!.loss).toBeLessThan(2.3);
    expect(state.testAccuracy).toBeGreaterThan(0.3);
    expect(await page.textContent('#train-status')).toContain(`trained DigitsMlp on digits (${SAMPLES} samples, 1 epoch)`);
    process.stdout.write(`playground: one epoch on ${SAMPLES} digits, test accuracy ${state.testAccuracy}\n`);

    // Draw a 1 (a vertical stroke) and read the class probabilities.
    const pad = (await page.locator('#pad').boundingBox())!;
    await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(pad.x + pad.width * (0.5 - i * 0.005), pad.y + pad.height * (0.15 + i * 0.07));
    await page.mouse.up();
    await page.waitForFunction(() => (window as unknown as { nnetPlayground: PageState }).nnetPlayground.prediction !== null, undefined, { timeout: 20_000 });
    state = await pageState(page);
    const { digit, probabilities } = state.prediction!;
    expect(probabilities).toHaveLength(10);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(await page.textContent('#prediction')).toContain(`prediction: ${digit}`);
    expect(await page.locator('#probabilities tr').count()).toBe(10);
    process.stdout.write(`playground: the drawn 1 reads as ${digit} (${(probabilities[digit]! * 100).toFixed(1)}%)\n`);
    await page.screenshot({ path: join(SHOTS, '3-trained-prediction.png') });
    expect(errors).toEqual([]);
  }, 120_000);
});
