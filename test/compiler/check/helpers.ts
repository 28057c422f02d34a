import { readFileSync } from 'node:fs';
import { checkSource, type CheckResult } from '../../../compiler/index.js';

export function check(text: string): CheckResult {
  return checkSource(text, { path: 'test.nnet' });
}

/** The codes of a document's diagnostics, in order. */
export function codes(text: string): string[] {
  return check(text).diagnostics.map((d) => d.code);
}

/** The text a diagnostic's range covers. */
export function covered(text: string, range: { start: number; end: number }): string {
  return text.slice(range.start, range.end);
}

/** A model around some statements. */
export function model(body: string, name = 'M'): string {
  return `model ${name} {\n${body}\n}\n`;
}

export function example(name: string): string {
  return readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');
}
