import type { BlockDecl } from '../../grammar/ast.js';
import { ValueTable } from './build-graph.js';
import { Reporter } from './reporter.js';
import { Scope, SymbolTable } from './resolve.js';

/** What every stage of checking one document shares. */
export class CheckContext {
  readonly reporter = new Reporter();
  readonly symbols = new SymbolTable();
  readonly values = new ValueTable();
  readonly fileScope: Scope;
  /** Blocks used at least once (the rest get a warning: they were never checked). */
  readonly usedBlocks = new Set<string>();

  constructor(
    readonly path: string | undefined,
    readonly blocks = new Map<string, BlockDecl>(),
    fileScope?: Scope,
  ) {
    this.fileScope = fileScope ? fileScope.fork(this.symbols) : new Scope('', null, this.symbols);
  }

  /**
   * A context for checking one model on its own: the same top-level names and blocks, but its own
   * diagnostics, symbols, values and used blocks, which compiler/check/model-check.ts merges back.
   */
  forModel(): CheckContext {
    return new CheckContext(this.path, this.blocks, this.fileScope);
  }
}
