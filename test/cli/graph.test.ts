import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('nnet graph', () => {
  it('prints the layer graph with shapes as Graphviz dot', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/seed.nnet']);
    expect(code).toBe(0);
    expect(stdout.startsWith('digraph "Seed" {')).toBe(true);
    expect(stdout).toContain('label="x: input\\n[batch, 3]"');
    expect(stdout).toContain('label="h: dense\\n[batch, 4]"');
    expect(stdout).toContain('label="y: dense\\n[batch, 2]"');
    expect(stdout.match(/->/g)).toHaveLength(3);
    expect(stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('prints Mermaid', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/seed.nnet', '--format', 'mermaid']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'flowchart TD',
        '  n0(["x: input<br/>[batch, 3]"])',
        '  n3["h: dense<br/>[batch, 4]"]',
        '  n6["y: dense<br/>[batch, 2]"]',
        '  out_y(["output y"])',
        '  n0 --> n3',
        '  n3 --> n6',
        '  n6 --> out_y',
        '',
      ].join('\n'),
    );
  });

  it('rejects an unknown format (usage, exit 2) and a missing model (exit 1)', async () => {
    expect((await runCli(['graph', 'examples/seed.nnet', '--format', 'png'])).code).toBe(2);
    const missing = await runCli(['graph', 'examples/seed.nnet', '--model', 'Nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no model 'Nope'");
  });
});
