import { StreamLanguage, type StringStream } from '@codemirror/language';

/** The language's keywords (grammar/tokens.ts) and the names inside a train section. */
const KEYWORDS = new Set(['model', 'block', 'gan', 'input', 'output', 'let', 'return', 'train']);
const ATOMS = new Set(['true', 'false', 'int', 'batch']);

/**
 * Colours for the editor: comments, strings, numbers, keywords, `|>`. Only colour: every meaning
 * (names, shapes, errors) comes from the checker, never from this tokenizer.
 */
export const nnetHighlighting = StreamLanguage.define<{ inComment: boolean }>({
  name: 'nnet',
  startState: () => ({ inComment: false }),
  token(stream: StringStream, state) {
    if (state.inComment) {
      state.inComment = !stream.skipTo('*/');
      if (state.inComment) stream.skipToEnd();
      else stream.match('*/');
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//')) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match('/*')) {
      state.inComment = true;
      return 'comment';
    }
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return 'string';
    if (stream.match(/^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/)) return 'number';
    if (stream.match('|>')) return 'operator';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) return KEYWORDS.has(word[0]) ? 'keyword' : ATOMS.has(word[0]) ? 'atom' : 'variableName';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});
