import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';

/** Hooks for tests: simulate a crash between writing the temp file and renaming it. */
export interface AtomicWriteHooks {
  beforeRename?: (tempPath: string) => void;
}

/**
 * Writes `bytes` to `path` so that readers see either the old file or the complete new one: write a
 * temp file in the same folder, flush it to disk, then rename it over the target (rename is atomic
 * within a file system). A crash before the rename leaves the previous file intact.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, hooks: AtomicWriteHooks = {}): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    hooks.beforeRename?.(temp);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
