import * as prettier from 'prettier/standalone';
import type { Plugin, Printer, SupportLanguage } from 'prettier';
import { parse } from '../index.js';
import { sameMeaning } from './ast-equal.js';
import { handleComments } from './comments.js';
import type { FormatNode } from './nodes.js';
import { nnetParser } from './parser.js';
import { nnetPrinter } from './printer.js';

export { NnetSyntaxError } from './parser.js';
export { meaningOf, sameMeaning } from './ast-equal.js';

export const languages: SupportLanguage[] = [
  {
    name: 'nnet',
    parsers: ['nnet'],
    extensions: ['.nnet'],
    vscodeLanguageIds: ['nnet'],
  },
];

/**
 * The Prettier plugin for .nnet: usable from Prettier itself (`plugins: ['nnet/grammar/format']`),
 * from `nnet fmt` and from the language server.
 */
export const nnetPlugin: Plugin<FormatNode> = {
  languages,
  parsers: { nnet: nnetParser },
  printers: {
    'nnet-ast': {
      ...nnetPrinter,
      handleComments,
      // Between a comment and the next node only whitespace counts as a gap (Prettier's default also
      // skips `(`, a JavaScript habit), so `f /* c */(x)` keeps its comment on `f` on every pass.
      isGap: (gap: string) => /^\s*$/.test(gap),
    } as Printer<FormatNode>,
  },
  defaultOptions: { printWidth: 100, tabWidth: 2, useTabs: false },
};

export const parsers = nnetPlugin.parsers;
export const printers = nnetPlugin.printers;
export const defaultOptions = nnetPlugin.defaultOptions;

export interface FormatOptions {
  printWidth?: number;
  tabWidth?: number;
  useTabs?: boolean;
}

/** Raised if a formatted file would not parse back to the same tree: a formatter bug, never shipped output. */
export class FormatterChangedMeaningError extends Error {
  constructor() {
    super('internal formatter error: the formatted text would change the meaning of the file; left unchanged');
    this.name = 'FormatterChangedMeaningError';
  }
}

/**
 * Formats .nnet text. Throws `NnetSyntaxError` for a file that does not parse (it is never
 * reprinted from a recovered tree), and re-parses its own output to prove the tree is unchanged.
 */
export async function formatNnet(text: string, options: FormatOptions = {}): Promise<string> {
  const formatted = await prettier.format(text, { ...options, parser: 'nnet', plugins: [nnetPlugin] });
  if (!sameMeaning(parse(text).file, parse(formatted).file)) throw new FormatterChangedMeaningError();
  return formatted;
}
