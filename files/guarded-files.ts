import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * The one way nnet touches files (the CLI, the compiler's `load(...)`, the training loop's
 * checkpoints and the language server): every read refuses a missing path, a folder, a device,
 * pipe or socket (`/dev/zero` is never read) and anything over a size cap, before reading a byte;
 * every write is prepared before the work starts (folder created or refused, never the path of an
 * input) and done atomically (temp file, fsync, rename), with temp files of killed saves removed.
 * Failures are FileAccessError: a code chosen by the caller (what kind of file it is), the path,
 * and the reason in words.
 */

const MiB = 1024 * 1024;

/** Reads of any kind are capped here unless the caller sets a smaller cap. Node buffers stop at 2 GiB. */
const MAX_READ_BYTES = 2048 * MiB - 1;

/** A file nnet cannot read or write, for a reason it can name. */
export class FileAccessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly location: string,
  ) {
    super(message);
    this.name = 'FileAccessError';
  }

  format(): string {
    return `${this.location}: error ${this.code}: ${this.message}`;
  }
}

export interface ReadOptions {
  /** The error code for this kind of file: NN4005 a source, NNR5001 data, NNR1201 weights ... */
  code: string;
  /** What the file is, in words: 'weights', 'data file', 'checkpoint' ... */
  what: string;
  /** At most this many bytes (default MAX_READ_BYTES). */
  maxBytes?: number;
}

/** The bytes of a regular file no larger than the cap. */
export function readFileGuarded(path: string, options: ReadOptions): Uint8Array {
  const max = Math.min(options.maxBytes ?? MAX_READ_BYTES, MAX_READ_BYTES);
  const fail = (reason: string): never => {
    throw new FileAccessError(options.code, `cannot read ${options.what}: ${reason}`, path);
  };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    return fail(reasonOf(err));
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) fail('it is a folder');
    if (!stats.isFile()) fail('it is not a regular file (a device, pipe or socket)');
    if (stats.size > max) fail(`it is ${sizeText(stats.size)}, over the limit of ${sizeText(max)}`);
    // Read at most one byte past the stated size: a file that grows while read is refused, not followed.
    const buffer = Buffer.allocUnsafe(stats.size + 1);
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (filled > stats.size) fail('it grew while being read');
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
  } catch (err) {
    if (err instanceof FileAccessError) throw err;
    return fail(reasonOf(err));
  } finally {
    closeSync(fd);
  }
}

/** A text file (UTF-8) no larger than the cap. */
export function readTextGuarded(path: string, options: ReadOptions): string {
  return Buffer.from(readFileGuarded(path, options)).toString('utf8');
}

/** Whether `path` names something that exists (for "JSON text or a file name" arguments). */
export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export interface OutputOptions {
  /** The error code when the output cannot be written (NN4006 unless the caller has its own). */
  code?: string;
  /** What the output is, in words: 'plan', 'weights', 'plot', 'checkpoint' ... */
  what: string;
  /** Files this command reads: an output that is one of them is refused (it would overwrite its source). */
  inputs?: readonly string[];
}

/**
 * Makes `path` ready to be written, before any work that leads to it: refuses a folder, a device,
 * a path whose folder is a file, and any input of the command (the same file by any name); creates
 * the missing folders; removes temp files of earlier saves that were killed. Returns the path.
 */
export function prepareOutput(path: string, options: OutputOptions): string {
  const code = options.code ?? 'NN4006';
  const fail = (reason: string): never => {
    throw new FileAccessError(code, `cannot write ${options.what}: ${reason}`, path);
  };
  const existing = statOrUndefined(path);
  if (existing?.isDirectory()) fail('it is a folder');
  if (existing && !existing.isFile()) fail('it is not a regular file (a device, pipe or socket)');
  for (const input of options.inputs ?? []) {
    if (sameFile(path, existing, input)) fail(`it is the input '${input}' of this command, which would be overwritten`);
  }
  const folder = dirname(resolve(path));
  const folderStats = statOrUndefined(folder);
  if (folderStats && !folderStats.isDirectory()) fail(`'${dirname(path)}' is not a folder`);
  if (!folderStats) {
    try {
      mkdirSync(folder, { recursive: true });
    } catch (err) {
      fail(`cannot create the folder '${dirname(path)}': ${reasonOf(err)}`);
    }
  }
  removeStaleTemps(path);
  return path;
}

/** Hooks for tests: simulate a crash between writing the temp file and renaming it. */
export interface AtomicWriteHooks {
  beforeRename?: (tempPath: string) => void;
}

/**
 * Writes `bytes` to `path` so that readers see either the old file or the complete new one: a temp
 * file in the same folder (`<name>.tmp-<pid>`), flushed, then renamed over the target (atomic
 * within a file system). A crash before the rename leaves the previous file intact, and the next
 * `prepareOutput` of the same path removes the temp file it left.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, hooks: AtomicWriteHooks = {}, code = 'NN4006'): void {
  const temp = tempPathOf(path, process.pid);
  let fd: number;
  try {
    fd = openSync(temp, 'w');
  } catch (err) {
    throw new FileAccessError(code, `cannot write: ${reasonOf(err)}`, path);
  }
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw new FileAccessError(code, `cannot write: ${reasonOf(err)}`, path);
  }
  closeSync(fd);
  try {
    hooks.beforeRename?.(temp);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    if (err instanceof FileAccessError) throw err;
    throw new FileAccessError(code, `cannot write: ${reasonOf(err)}`, path);
  }
}

export function tempPathOf(path: string, pid: number): string {
  return `${path}.tmp-${pid}`;
}

/** Removes `<name>.tmp-<pid>` next to `path` when no process `pid` is alive (a killed save). */
function removeStaleTemps(path: string): string[] {
  const folder = dirname(resolve(path));
  const prefix = `${basename(path)}.tmp-`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && isAlive(pid))) continue;
    rmSync(join(folder, name), { force: true });
    removed.push(join(folder, name));
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sameFile(output: string, outputStats: Stats | undefined, input: string): boolean {
  if (resolve(output) === resolve(input)) return true;
  const inputStats = statOrUndefined(input);
  if (!outputStats || !inputStats) return false;
  if (outputStats.dev === inputStats.dev && outputStats.ino === inputStats.ino) return true;
  try {
    return realpathSync(output) === realpathSync(input);
  } catch {
    return false;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function reasonOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  if (code === 'ENOSPC') return 'no space left on the device';
  return code ?? (err as Error).message;
}

function sizeText(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}
