import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../cli/terminal.js';
import { runCli } from './run-cli.js';

const ANSI = /\x1b\[\d+m/;

function scratch(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nnet-terminal-')), 'bad.nnet');
  writeFileSync(file, text);
  return file;
}

const bad = scratch('model M {\n  input image: [batch, 28, 28]\n  h = image |> dense(256, relu)\n  output h\n}\n');

describe('colour on the terminal', () => {
  it('follows NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: '' })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });

  it('colours the diagnostics of a command on a terminal, and not in a pipe or with NO_COLOR', async () => {
    const onTerminal = await runCli(['compile', bad], { stderrIsTTY: true });
    expect(onTerminal.code).toBe(1);
    expect(onTerminal.stderr).toMatch(ANSI);
    const inPipe = await runCli(['compile', bad]);
    expect(inPipe.stderr).not.toMatch(ANSI);
    expect(onTerminal.stderr.replace(/\x1b\[\d+m/g, '')).toBe(inPipe.stderr);
    expect((await runCli(['compile', bad], { stderrIsTTY: true, env: { NO_COLOR: '1' } })).stderr).not.toMatch(ANSI);
    expect((await runCli(['compile', bad], { env: { FORCE_COLOR: '1' } })).stderr).toMatch(ANSI);
    expect((await runCli(['check', bad], { env: { FORCE_COLOR: '1' } })).stderr).toMatch(ANSI);
  });
});

describe('errors on stderr, in one format', () => {
  it('compile, graph and run print the code frame and a plain summary line (no pseudo-code)', async () => {
    const frame =
      `${bad}:3:16: error NN2003: dense expects [batch, features], got [batch, 28, 28]\n` +
      '  3 |   h = image |> dense(256, relu)\n' +
      '    |                ^~~~~~~~~~~~~~~~\n' +
      `  ${bad}:2:3: note: 'image' gets its shape [batch, 28, 28] here\n` +
      '  fix: Insert flatten before dense\n';
    for (const args of [['compile', bad], ['graph', bad], ['run', bad, '--input', '[[1]]']]) {
      const { code, stdout, stderr } = await runCli(args);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(`${frame}1 error in ${bad}; nothing was run\n`);
      expect(stderr).not.toContain('NN0000');
    }
    const check = await runCli(['check', bad]);
    expect(check.stdout).toBe('');
    expect(check.stderr).toBe(`${frame}\n1 error, 0 warnings in 1 file\n`);
  });

  it('a missing file is one line, the same for every command', async () => {
    const lines = new Set<string>();
    for (const command of ['check', 'compile', 'graph', 'fmt']) {
      const { code, stdout, stderr } = await runCli([command, 'no-such.nnet']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      lines.add(stderr.split('\n')[0]!);
    }
    expect(lines.size).toBe(1);
    expect([...lines][0]).toMatch(/^no-such\.nnet: error NNR?\d+: .*no such file/);
  });
});

describe('usage errors', () => {
  it('are commander\'s one line and exit 2', async () => {
    const plotLog = await runCli(['train', 'examples/xor.nnet', '--plot-log']);
    expect(plotLog.code).toBe(2);
    expect(plotLog.stderr).toBe('error: --plot-log needs --plot FILE\n');
  });
});

describe('plurals', () => {
  it('says 1 epoch and 1 step, never 1 epochs', async () => {
    const { code, stdout } = await runCli(['train', 'examples/xor.nnet', '--epochs', '1', '--no-checkpoint']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^training Xor on xor: \d+ samples, 1 epoch, batch/);
    expect(stdout).toMatch(/\ntrained 1 epoch in /);
  });
});
