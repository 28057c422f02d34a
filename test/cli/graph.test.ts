import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('nnet graph', () => {
  it('prints the layer graph as Graphviz dot: names, ops, shapes, activations, parameters, fusion', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/seed.nnet']);
    expect(code).toBe(0);
    expect(stdout.startsWith('digraph "Seed" {')).toBe(true);
    expect(stdout).toContain('n0 [label=<<b>x</b><br/><font color="#555555">input [batch, 3]</font>>');
    expect(stdout).toContain(
      'n3 [label=<<b>h</b><br/><font color="#555555">dense · sigmoid</font><br/>[batch, 4]<br/>16 params<br/>' +
        '<font point-size="9" color="#8a5a00">fused matmul+bias+sigmoid</font>>, shape=box, style="rounded,filled", fillcolor="#fde3c0"];',
    );
    expect(stdout).toContain('<b>y</b><br/><font color="#555555">dense · sigmoid</font><br/>[batch, 2]<br/>10 params');
    expect(stdout.match(/->/g)).toHaveLength(3);
    expect(stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('prints Mermaid with the same facts', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/seed.nnet', '--format', 'mermaid']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'flowchart TD',
        '  n0(["x: input<br/>[batch, 3]"])',
        '  n3["h: dense<br/>[batch, 4]<br/>sigmoid · 16 params<br/>fused matmul+bias+sigmoid"]',
        '  n6["y: dense<br/>[batch, 2]<br/>sigmoid · 10 params<br/>fused matmul+bias+sigmoid"]',
        '  out_y(["output y"])',
        '  n0 --> n3',
        '  n3 --> n6',
        '  n6 --> out_y',
        '  classDef fused fill:#fde3c0,stroke:#c8872c',
        '  class n3,n6 fused',
        '',
      ].join('\n'),
    );
  });

  it('names anonymous pipeline stages by position and draws the label input into the loss', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/digits-cnn.nnet']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('conv2d_2');
    expect(stdout).toContain('<b>features · stage 4</b><br/><font color="#555555">conv2d · relu</font><br/>[batch, 12, 12, 32]<br/>4,640 params');
    expect(stdout).toContain('<b>features</b><br/><font color="#555555">global_avgpool</font><br/>[batch, 64]>');
    expect(stdout).toContain('<b>label</b><br/><font color="#555555">label input [batch] int</font>');
    expect(stdout).toContain('loss [label=<<b>loss</b><br/><font color="#555555">cross_entropy</font>>, shape=octagon');
    expect(stdout).toContain('n22 -> loss [style=dashed');
    expect(stdout).toContain('n1 -> loss [style=dashed');
    // Three convolutions, the max pooling the first one pools in its epilogue and the dense layer are fused; nothing else is shaded.
    expect(stdout.match(/fillcolor="#fde3c0"/g)).toHaveLength(5);
    expect(stdout).toContain('<b>features · stage 3</b><br/><font color="#555555">maxpool2d</font><br/>[batch, 14, 14, 16]<br/><font point-size="9" color="#8a5a00">fused conv2d+bias+relu+maxpool</font>');
    expect(stdout).toContain('label="shaded: fused into one kernel by the compiler   ·   dashed: training only"; labelloc=b;');
  });

  it('shades an activation layer the compiler fuses into the layer before it', async () => {
    const { stdout } = await runCli(['graph', 'examples/sequence-lstm.nnet']);
    expect(stdout).toContain('<b>logit</b><br/><font color="#555555">dense</font><br/>[batch, 1]<br/>65 params<br/><font point-size="9" color="#8a5a00">fused matmul+bias+sigmoid</font>');
    expect(stdout).toContain('<b>positive</b><br/><font color="#555555">sigmoid</font><br/>[batch, 1]<br/><font point-size="9" color="#8a5a00">fused matmul+bias+sigmoid</font>>, shape=box, style="rounded,filled", fillcolor="#fde3c0"];');
  });

  it('draws block expansions as clusters with the names written inside the block', async () => {
    const dot = (await runCli(['graph', 'examples/tiny-transformer.nnet'])).stdout;
    expect(dot.match(/subgraph cluster_\d+ \{/g)).toHaveLength(2);
    expect(dot).toContain('label=<block decoder #1>');
    expect(dot).toContain('label=<block decoder #2>');
    expect(dot).toContain('<b>attended</b><br/><font color="#555555">multi_head_attention</font>');
    expect(dot).not.toMatch(/h\/decoder/);
    const mermaid = (await runCli(['graph', 'examples/tiny-transformer.nnet', '--format', 'mermaid'])).stdout;
    expect(mermaid).toContain('  subgraph c0["block decoder #1"]\n    n7["attended · stage 1: layernorm<br/>[batch, seq, 64]<br/>128 params"]');
    expect(mermaid).toContain('  n1 -.-> loss');
  });

  it('renders SVG in process (--format svg, or by the extension of -o)', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/digits-cnn.nnet', '--format', 'svg']);
    expect(code).toBe(0);
    expectWellFormedSvg(stdout);
    for (const text of ['features · stage 2', 'conv2d · relu', '[batch, 28, 28, 16]', '4,640 params', 'fused conv2d+bias+relu', 'cross_entropy']) {
      expect(stdout).toContain(`>${text}</text>`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'nnet-graph-'));
    const written = await runCli(['graph', 'examples/tiny-transformer.nnet', '-o', join(dir, 'tt.svg')]);
    expect(written.code).toBe(0);
    expect(written.stderr).toBe(`wrote ${join(dir, 'tt.svg')} (svg)\n`);
    const svg = readFileSync(join(dir, 'tt.svg'), 'utf8');
    expectWellFormedSvg(svg);
    expect(svg).toContain('>block decoder #2</text>');
    // Node labels are centred on their node (a wider fallback font must not push them out of the box);
    // only the two cluster titles stay left-aligned.
    expect(stdout).not.toContain('text-anchor="start"');
    expect(svg.match(/text-anchor="start"/g)).toHaveLength(2);
    const mmd = await runCli(['graph', 'examples/seed.nnet', '-o', join(dir, 'seed.mmd')]);
    expect(mmd.code).toBe(0);
    expect(readFileSync(join(dir, 'seed.mmd'), 'utf8').startsWith('flowchart TD\n')).toBe(true);
  });

  it('rejects an unknown format or extension (usage, exit 2) and a missing model (exit 1)', async () => {
    expect((await runCli(['graph', 'examples/seed.nnet', '--format', 'png'])).code).toBe(2);
    const byExtension = await runCli(['graph', 'examples/seed.nnet', '-o', join(tmpdir(), 'seed.png')]);
    expect(byExtension.code).toBe(2);
    expect(byExtension.stderr).toContain("cannot tell the format of");
    const missing = await runCli(['graph', 'examples/seed.nnet', '--model', 'Nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no model 'Nope'");
  });
});

/** An XML declaration or `<svg`, then tags that open and close in order. */
function expectWellFormedSvg(svg: string): void {
  expect(svg).toMatch(/^(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg /);
  const stack: string[] = [];
  const body = svg.replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, '');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(body).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/);
}

describe('a gan by name (issue 10: compile, export and graph refused it)', () => {
  it('graph draws both models of the gan, each in its box', async () => {
    const { code, stdout } = await runCli(['graph', 'examples/gan.nnet', '--model', 'DigitsGan']);
    expect(code).toBe(0);
    expect(stdout.startsWith('digraph "DigitsGan" {')).toBe(true);
    expect(stdout).toContain('Generator');
    expect(stdout).toContain('Discriminator');
    expect(stdout).toContain('m0_n0');
    expect(stdout).toContain('m1_n0');
  });

  it('compile takes the gan name for its generator, and export reaches the generator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnet-gan-'));
    const plan = join(dir, 'gan.plan.json');
    expect((await runCli(['compile', 'examples/gan.nnet', '--model', 'DigitsGan', '-o', plan])).code).toBe(0);
    expect((JSON.parse(readFileSync(plan, 'utf8')) as { model: string }).model).toBe('Generator');
    const exported = await runCli(['export', 'examples/gan.nnet', '--model', 'DigitsGan', '-o', join(dir, 'gan.onnx')]);
    expect(exported.stderr).not.toContain('no model');
  });
});
