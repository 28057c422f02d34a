import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonNumbers } from '../../../runtime/data/json-numbers.js';

/** The oracle: JSON.parse, then the numbers as floats. */
const viaParse = (text: string, field: string): Float32Array => Float32Array.from((JSON.parse(text) as Record<string, number[]>)[field]!);
/** How many floats differ in their bits, or −1 for a different length (toEqual on 784 K values takes seconds). */
function differingBits(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return -1;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) count++;
  return count;
}
const read = (text: string, field = 'data'): Float32Array => readJsonNumbers(new TextEncoder().encode(text), field);

describe('readJsonNumbers', () => {
  it("reads the mnist package's digits bit for bit as JSON.parse does", () => {
    const folder = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
    for (let digit = 0; digit < 10; digit++) {
      const bytes = readFileSync(join(folder, `${digit}.json`));
      expect(differingBits(readJsonNumbers(bytes, 'data'), viaParse(bytes.toString('utf8'), 'data'))).toBe(0);
    }
  });

  it('reads every form of JSON number as JSON.parse does: signs, zeros, fractions, exponents, long mantissas', () => {
    const values = [
      '0', '-0', '7', '-12', '0.5', '-0.625', '3.14159', '0.000001', '123456789012345', '1234567890123456',
      '12345678901234567890', '0.1234567890123456789', '1e3', '-2.5E-7', '6.02e+23', '0.0000000000000000000001',
      '0.00000000000000000000001234', '1.7976931348623157e308', '4.9e-324', '100', '0.0', '10.25',
    ];
    const random = Array.from({ length: 3000 }, (_, i) => {
      const x = Math.sin(i * 12.9898) * 43758.5453;
      return [String(x), x.toFixed(i % 12), x.toPrecision(1 + (i % 17)), (x / 1e9).toExponential(i % 15)][i % 4]!;
    });
    for (const list of [values, random]) {
      const text = `{ "data": [${list.join(',')}] }`;
      expect(differingBits(read(text), viaParse(text, 'data'))).toBe(0);
    }
  });

  it('finds the field as a key, past the same word in a string, with any whitespace', () => {
    const text = '{"name": "data", "other": [9],\n  "data" :\n\t[ 1 ,2\r\n, -3.5 ]\n}';
    expect(Array.from(read(text))).toEqual([1, 2, -3.5]);
    expect(read('{"data": []}')).toEqual(new Float32Array(0));
    expect(read('{"data": [ ]}')).toEqual(new Float32Array(0));
  });

  it("leaves what is not a plain array of numbers to JSON.parse: its values or its error", () => {
    expect(Array.from(read('{"data": {"inner": 1}, "more": [2]}', 'more'))).toEqual([2]);
    expect(() => read('{"data": {"inner": [1]}}')).toThrow(/'data' is not an array of numbers/);
    expect(() => read('{"data": [1,,2]}')).toThrow(SyntaxError);
    expect(() => read('{"data": [01]}')).toThrow(SyntaxError);
    expect(() => read('{"data": [1.]}')).toThrow(SyntaxError);
    expect(() => read('{"data": [1e]}')).toThrow(SyntaxError);
    expect(() => read('{"data": [1, "two"]}')).toThrow(/'data' is not an array of numbers/);
    expect(() => read('{"data": [[1], 2]}')).toThrow(/'data' is not an array of numbers/);
    expect(() => read('{"labels": [1]}')).toThrow(/'data' is not an array of numbers/);
    expect(() => read('{"data": [1, 2')).toThrow(SyntaxError);
  });
});
