import { describe, expect, it } from 'vitest';
import { DimError, evalDim } from '../../../runtime/plan/dims.js';

/** A lone name skips the tokenizer; it must answer exactly as the parser does. */
describe('evalDim on a lone name', () => {
  it('reads the binding, own properties only', () => {
    expect(evalDim('batch', { batch: 64 })).toBe(64);
    expect(evalDim('batch_2', { batch_2: 3 })).toBe(3);
    expect(() => evalDim('constructor', {})).toThrow(new DimError("dim 'constructor' is not bound"));
    expect(() => evalDim('batch', { batch: null })).toThrow(new DimError("dim 'batch' is not bound"));
  });

  it('leaves ceil, floor and expressions to the parser', () => {
    expect(() => evalDim('ceil', {})).toThrow("bad dim expression 'ceil'");
    expect(evalDim(' batch ', { batch: 5 })).toBe(5);
    expect(evalDim('batch*2', { batch: 5 })).toBe(10);
  });
});
