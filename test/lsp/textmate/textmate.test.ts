import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
const grammarPath = join(root, 'lsp/vscode/syntaxes/nnet.tmLanguage.json');

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.nnet' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const grammar = await registry.loadGrammar('source.nnet');
  if (!grammar) throw new Error('grammar did not load');
  return grammar;
}

/** One line per token: `line:col  text  scopes` (the root scope left out), blank tokens skipped. */
function tokenize(grammar: textmate.IGrammar, text: string): string {
  const out: string[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((line, lineIndex) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const value = line.slice(token.startIndex, token.endIndex);
      if (value.trim() === '') continue;
      const scopes = token.scopes.slice(1).join(' ');
      out.push(`${lineIndex + 1}:${token.startIndex + 1}\t${value}\t${scopes || '-'}`);
    }
    state = result.ruleStack;
  });
  return `${out.join('\n')}\n`;
}

function sources(): string[] {
  const examples = join(root, 'examples');
  const files = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.nnet')).map((f) => join(examples, f)) : [];
  return [join(root, 'test/lsp/fixtures/showcase.nnet'), ...files.sort()];
}

describe('TextMate grammar', () => {
  it.each(sources())('tokenizes %s as its snapshot', async (file) => {
    const grammar = await loadGrammar();
    const tokens = tokenize(grammar, readFileSync(file, 'utf8'));
    await expect(tokens).toMatchFileSnapshot(join(root, 'test/lsp/textmate/snapshots', `${basename(file)}.tokens`));
  });

  it('scopes the parts of a line as a reader expects', async () => {
    const grammar = await loadGrammar();
    const tokens = tokenize(grammar, 'h = x |> dense(128, relu, l2: 1e-4) // hidden\n');
    expect(tokens).toContain('h\tvariable.other.definition.nnet');
    expect(tokens).toContain('|>\tkeyword.operator.pipeline.nnet');
    expect(tokens).toContain('dense\tentity.name.function.call.nnet');
    expect(tokens).toContain('l2\tvariable.parameter.named-argument.nnet');
    expect(tokens).toContain('1e-4\tconstant.numeric.nnet');
    expect(tokens).toContain(" hidden\tcomment.line.double-slash.nnet");
  });

  it('scopes each name of a tuple assignment as a definition', async () => {
    const grammar = await loadGrammar();
    const tokens = tokenize(grammar, '  mu, logvar = h |> split(2, axis: -1)\n');
    expect(tokens).toContain('mu\tvariable.other.definition.nnet');
    expect(tokens).toContain('logvar\tvariable.other.definition.nnet');
    expect(tokens).toContain(',\tpunctuation.separator.comma.nnet');
    expect(tokens).toContain('=\tkeyword.operator.assignment.nnet');
    expect(tokens).toContain('split\tentity.name.function.call.nnet');
  });
});
