import type { BlockDecl } from '../../grammar/ast.js';
import { ValueTable } from './build-graph.js';
import { Reporter } from './reporter.js';
import { Scope, SymbolTable } from './resolve.js';

/** What every stage of checking one document shares. */
export class CheckContext {
  readonly reporter = new Reporter();
  readonly symbols = new SymbolTable();
  readonly values = new ValueTable();
  readonly fileScope = new Scope('', null, this.symbols);
  readonly blocks = new Map<string, BlockDecl>();
  /** Blocks used at least once (the rest get a warning: they were never checked). */
  readonly usedBlocks = new Set<string>();

  constructor(readonly path: string | undefined) {}
}
