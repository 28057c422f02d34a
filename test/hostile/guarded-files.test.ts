import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileAccessError, prepareOutput, readFileGuarded, tempPathOf, writeFileAtomic } from '../../files/guarded-files.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-files-'));
const read = (path: string, maxBytes?: number) => () => readFileGuarded(path, { code: 'NNR5001', what: 'the data file', ...(maxBytes ? { maxBytes } : {}) });

describe('the guarded file layer', () => {
  it('refuses a missing file, a folder, a device and a file over the cap, with the caller\'s code', () => {
    const small = join(dir, 'small.bin');
    writeFileSync(small, new Uint8Array(100));
    expect(read(small)()).toHaveLength(100);
    for (const [path, reason, max] of [
      [join(dir, 'missing'), 'no such file', undefined],
      [dir, 'it is a folder', undefined],
      ['/dev/zero', 'not a regular file', undefined],
      ['/dev/null', 'not a regular file', undefined],
      [small, 'over the limit of 99 bytes', 99],
    ] as const) {
      expect(read(path, max)).toThrow(FileAccessError);
      expect(read(path, max)).toThrow(reason);
      try {
        read(path, max)();
      } catch (error) {
        expect((error as FileAccessError).code).toBe('NNR5001');
      }
    }
  });

  it('refuses an output that is an input by another name (a symbolic link), before anything is written', () => {
    const source = join(dir, 'm.nnet');
    writeFileSync(source, 'model M {}\n');
    const link = join(dir, 'link.nnet');
    symlinkSync(source, link);
    expect(() => prepareOutput(link, { what: 'the plan', inputs: [source] })).toThrow(/input .* would be overwritten/);
    expect(() => prepareOutput(join(dir, '.', 'm.nnet'), { what: 'the plan', inputs: [source] })).toThrow(/would be overwritten/);
    expect(() => prepareOutput('/dev/null', { what: 'the plan' })).toThrow(/not a regular file/);
    expect(readFileSync(source, 'utf8')).toBe('model M {}\n');
  });

  it('removes the temp file of a killed save, and keeps a live writer\'s', () => {
    const target = join(dir, 'ck.safetensors');
    const dead = tempPathOf(target, 2 ** 22 + 12345); // beyond pid_max's default: no such process
    const live = tempPathOf(target, process.ppid);
    writeFileSync(dead, new Uint8Array(1000));
    writeFileSync(live, new Uint8Array(10));
    prepareOutput(target, { what: 'the checkpoint' });
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    writeFileAtomic(target, 'done');
    expect(readFileSync(target, 'utf8')).toBe('done');
    expect(existsSync(tempPathOf(target, process.pid))).toBe(false);
  });
});
