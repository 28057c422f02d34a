import { describe, expect, it } from 'vitest';
import { pointerTable } from '../../../runtime/cpu/wasm/pointer-tables.js';

/**
 * A training step asks for its convolutions' pointer tables in the same cycle every step. While they
 * fit the budget (in pointers, not tables), the second cycle must build none of them: ResNet-20 has
 * 68 tables a step, and a cap on the count rebuilt every one of them every step.
 */
describe('pointer tables kept between calls', () => {
  it('keeps a cycle of 80 small tables: the second pass builds none', () => {
    let builds = 0;
    const build = (into: Int32Array): void => {
      builds++;
      into.fill(builds);
    };
    const keys = Array.from({ length: 80 }, (_, i) => `pointer-tables test ${i}`);
    const first = keys.map((key) => pointerTable(key, 1024, build));
    expect(builds).toBe(80);
    const second = keys.map((key) => pointerTable(key, 1024, build));
    expect(builds).toBe(80);
    second.forEach((table, i) => expect(table).toBe(first[i]));
  });
});
