import type { Command } from 'commander';
import * as check from './check.js';
import * as compile from './compile.js';
import * as run from './run.js';
import * as train from './train.js';
import * as fmt from './fmt.js';
import * as graph from './graph.js';
import * as exportCmd from './export.js';
import * as lsp from './lsp.js';
import * as verify from './verify.js';
import * as data from './data.js';

/** Sets the process exit code from inside a command action. */
export type SetExitCode = (code: number) => void;

export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  for (const command of [check, compile, run, train, fmt, graph, exportCmd, verify, data, lsp]) {
    command.register(program, setExitCode);
  }
}
