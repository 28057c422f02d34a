import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNnet } from '../../grammar/format/index.js';
import { buildCli } from './build-server.js';

/**
 * Debian's Neovim (0.7.2 on Debian 12; scripts/install-neovim.sh) driven headless against the real
 * server with the shipped plugin directory lsp/nvim: test/lsp/neovim/drive.lua opens a file with a
 * shape error through the FileType autocmd, and records the diagnostics, the quick fix, hover,
 * completion, rename and formatting (with Neovim's tab defaults) as Neovim's own client saw them.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const nvimVersion = nvim.status === 0 ? nvim.stdout.split('\n')[0]! : undefined;
if (!nvimVersion) console.warn('skipping the Neovim test: nvim is not installed (scripts/install-neovim.sh installs it)');

interface Driven {
  version: { major: number; minor: number; patch: number };
  error?: string;
  filetype: string;
  ftplugin: { commentstring: string; shiftwidth: number; expandtab: boolean };
  attached: string;
  omnifunc: string;
  diagnostics: Array<{ lnum: number; col: number; severity: number; code: string; message: string }>;
  codeActions: string[];
  fixed: string;
  hover: string;
  completion: string[];
  renamed: string;
  unformatted: string;
  formatted: string;
}

const showcase = readFileSync(join(root, 'test/lsp/fixtures/showcase.nnet'), 'utf8');

describe.skipIf(!nvimVersion)(`Neovim headless against nnet lsp --stdio (${nvimVersion ?? 'no nvim'})`, () => {
  let dir: string;
  let cli: string;
  let driven: Driven;

  beforeAll(async () => {
    cli = await buildCli();
    dir = mkdtempSync(join(tmpdir(), 'nnet-nvim-'));
    const file = join(dir, 'broken.nnet');
    writeFileSync(file, showcase.replace('image |> flatten |> dense', 'image |> dense'));
    const result = join(dir, 'result.json');
    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-S', join(root, 'test/lsp/neovim/drive.lua')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(dir, 'config'),
        XDG_DATA_HOME: join(dir, 'data'),
        XDG_STATE_HOME: join(dir, 'state'),
        XDG_CACHE_HOME: join(dir, 'cache'),
        NNET_PLUGIN: join(root, 'lsp/nvim'),
        NNET_CMD: JSON.stringify([process.execPath, cli, 'lsp', '--stdio']),
        NNET_FILE: file,
        NNET_RESULT: result,
      },
    });
    expect(run.error, run.stderr).toBeUndefined();
    driven = JSON.parse(readFileSync(result, 'utf8')) as Driven;
    expect(driven.error).toBeUndefined();
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (cli) rmSync(cli, { force: true });
  });

  it('runs the Neovim found on the PATH', () => {
    expect(nvimVersion).toContain(`v${driven.version.major}.${driven.version.minor}.${driven.version.patch}`);
  });

  it('detects the filetype, attaches the client and shows the shape error with its code', () => {
    expect(driven.filetype).toBe('nnet');
    expect(driven.ftplugin).toEqual({ commentstring: '// %s', shiftwidth: 2, expandtab: true });
    expect(driven.attached).toBe('nnet');
    expect(driven.omnifunc).toBe('v:lua.vim.lsp.omnifunc');
    // The error, and the warning that the block used after it is unused (its model stopped there).
    expect(driven.diagnostics).toEqual([
      expect.objectContaining({ code: 'NN2028', severity: 2, lnum: 5 }),
      expect.objectContaining({ code: 'NN2003', severity: 1, lnum: 13, message: 'dense expects [batch, features], got [batch, 28, 28]' }),
    ]);
  });

  it('applies the quick fix, which leaves the formatted file', () => {
    expect(driven.codeActions).toEqual(['Insert flatten before dense']);
    expect(driven.fixed).toBe(showcase);
  });

  it('hovers an op with its shapes and completes a pipeline stage', () => {
    expect(driven.hover).toContain('[batch, 784] → [batch, 256]');
    expect(driven.completion).toEqual(expect.arrayContaining(['dense', 'dropout', 'residual']));
  });

  it('renames a value everywhere', () => {
    expect(driven.renamed).toBe(showcase.replaceAll('logits', 'scores'));
  });

  it('formats canonically though Neovim asks for tabs', async () => {
    expect(driven.unformatted).toContain('\tloss');
    expect(driven.formatted).toBe(await formatNnet(driven.renamed));
    expect(driven.formatted).toBe(driven.renamed);
  });
});
