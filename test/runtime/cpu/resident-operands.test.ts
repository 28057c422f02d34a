import { describe, expect, it } from 'vitest';
import { markCacheable, markWritten } from '../../../runtime/cpu/packed-operands.js';
import { ResidentOperands } from '../../../runtime/cpu/wasm/resident-operands.js';

/** Weight copies in WebAssembly memory: written once per version, kept apart, bounded in total. */
describe('resident operands', () => {
  const cacheable = (length: number): Float32Array => {
    const data = new Float32Array(length);
    markCacheable(data);
    return data;
  };

  it('writes a copy once per version, in place when rewritten', () => {
    const resident = new ResidentOperands(new WebAssembly.Memory({ initial: 1 }), 1 << 20);
    const weight = cacheable(10);
    const writes: number[] = [];
    const write = (address: number): number => writes.push(address);
    const at = resident.place(weight, 'layout', 40, write);
    expect(resident.place(weight, 'layout', 40, write)).toBe(at);
    expect(writes).toEqual([at]);
    markWritten(weight);
    expect(resident.place(weight, 'layout', 40, write)).toBe(at);
    expect(writes).toEqual([at, at]);
    expect(resident.scratchStart()).toBe(48); // 40 bytes, 16-byte aligned
  });

  it('does not keep buffers never declared cacheable', () => {
    const resident = new ResidentOperands(new WebAssembly.Memory({ initial: 1 }), 1 << 20);
    expect(resident.place(new Float32Array(4), 'layout', 16, () => {})).toBeNull();
    expect(resident.scratchStart()).toBe(0);
  });

  it('places other weights and other layouts apart, growing the memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const resident = new ResidentOperands(memory, 1 << 20);
    const w1 = cacheable(1);
    const w2 = cacheable(1);
    const write = (): void => {};
    const a = resident.place(w1, 'layout', 40_000, write);
    const b = resident.place(w2, 'layout', 40_000, write);
    const c = resident.place(w1, 'other layout', 40_000, write);
    expect(new Set([a, b, c]).size).toBe(3);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(120_000);
  });

  it('forgets every copy once the limit is passed, and places them afresh', () => {
    const resident = new ResidentOperands(new WebAssembly.Memory({ initial: 1 }), 150);
    const [w1, w2, w3] = [cacheable(1), cacheable(1), cacheable(1)];
    let writes = 0;
    const write = (): number => writes++;
    expect(resident.place(w1, 'layout', 64, write)).toBe(0);
    expect(resident.place(w2, 'layout', 64, write)).toBe(64);
    expect(resident.place(w3, 'layout', 64, write)).toBe(0); // past 150 bytes: start over
    expect(resident.place(w1, 'layout', 64, write)).toBe(64); // its old copy is forgotten
    expect(resident.place(w3, 'layout', 64, write)).toBe(0);
    expect(writes).toBe(4);
  });
});
