import type { Ident, SourceRange } from '../../grammar/ast.js';
import type { SymbolInfo, SymbolKind } from '../api-types.js';
import type { Reporter } from './reporter.js';
import type { Value } from './values.js';

/** A name bound in a scope, with its symbol (definition + references) and whether it was read. */
export interface Binding {
  value: Value;
  symbol: SymbolInfo;
  used: boolean;
  /** Read by the model's layers (not only by the train section): false marks label-only inputs. */
  usedByModel: boolean;
  /** A name of `a, b = split(...)`: when unused, `_` can take its place. */
  splitPart?: boolean;
}

/**
 * Lexical scopes: file (constants, blocks, models), model (inputs, values, constants, dims) and
 * block (parameters, locals). Lookup walks outwards; every successful lookup records a reference on
 * the binding's symbol, which is what go-to-definition, references and rename read.
 */
export class Scope {
  private readonly bindings = new Map<string, Binding>();

  /**
   * A forked scope's original (see `fork`): its bindings are copied into this scope on first
   * lookup, never all at once, so a fork costs nothing per top-level name.
   */
  private readonly base: Scope | null = null;

  constructor(readonly container: string, private readonly parent: Scope | null, private readonly symbols: SymbolTable, base: Scope | null = null) {
    this.base = base;
  }

  /** Binds `name`; a second binding in the same scope is reported (NN2004) and ignored. */
  define(name: Ident, kind: SymbolKind, value: Value, declaration: SourceRange, reporter: Reporter): Binding | undefined {
    if (name.missing || name.name === '') return undefined;
    const existing = this.own(name.name);
    if (existing) {
      reporter.report('NN2004', [name.name], name.range, {
        related: [{ message: `'${name.name}' is first defined here`, range: existing.symbol.definition }],
      });
      return undefined;
    }
    const symbol = this.symbols.add({ name: name.name, kind, container: this.container, definition: name.range, declaration, references: [] });
    if (value.kind === 'tensor') symbol.type = value.type;
    const binding: Binding = { value, symbol, used: false, usedByModel: false };
    this.bindings.set(name.name, binding);
    return binding;
  }

  lookup(name: string, at: SourceRange, fromModel = true): Binding | undefined {
    const binding = this.own(name) ?? this.parent?.lookup(name, at, fromModel);
    if (binding && this.bindings.get(name) === binding) {
      binding.used = true;
      if (fromModel) binding.usedByModel = true;
      binding.symbol.references.push(at);
    }
    return binding;
  }

  /** Bound here (not in a parent) — for redefinition checks without recording a reference. */
  has(name: string): boolean {
    return this.bindings.has(name) || (this.base?.has(name) ?? false);
  }

  /** Every name visible from here, for did-you-mean (a lazy sequence: callers stop early or not at all). */
  *visibleNames(): Generator<string> {
    yield* this.bindings.keys();
    if (this.base) for (const name of this.base.bindings.keys()) if (!this.bindings.has(name)) yield name;
    if (this.parent) yield* this.parent.visibleNames();
  }

  /** The bindings made in this scope itself (a fork's: those it has read so far). */
  ownBindings(): IterableIterator<[string, Binding]> {
    return this.bindings.entries();
  }

  /**
   * A view of this (top-level) scope whose bindings record their references in `symbols`: each
   * model is checked against its own view, so that what it adds can be kept and merged on its own.
   * A binding is copied on first lookup, so forking is O(1) and a model pays only for the names it
   * reads (80,000 models used to copy 80,000 names each).
   */
  fork(symbols: SymbolTable): Scope {
    return new Scope(this.container, this.parent, symbols, this);
  }

  /** This scope's own binding of `name`, copying a fork's original binding on first use. */
  private own(name: string): Binding | undefined {
    const found = this.bindings.get(name);
    if (found || !this.base) return found;
    const original = this.base.own(name);
    if (!original) return undefined;
    const symbol = this.symbols.add({ ...original.symbol, references: [] });
    const copy: Binding = { value: original.value, symbol, used: false, usedByModel: false };
    this.bindings.set(name, copy);
    return copy;
  }
}

/** Every symbol of the document, in declaration order. */
export class SymbolTable {
  readonly all: SymbolInfo[] = [];

  private readonly byDefinition = new Map<string, SymbolInfo>();

  /** Adds a symbol, or returns the one already declared by the same identifier (a block expanded again). */
  add(symbol: SymbolInfo): SymbolInfo {
    const key = `${symbol.definition.start}:${symbol.name}`;
    const existing = this.byDefinition.get(key);
    if (existing) return existing;
    this.byDefinition.set(key, symbol);
    this.all.push(symbol);
    return symbol;
  }

  /**
   * Merges another table's symbol: a new one is added as a copy, a known one (the same
   * identifier) gains its references. `symbol` itself is left as it was, so it can be merged again.
   */
  merge(symbol: SymbolInfo): void {
    const added = this.add({ ...symbol, references: [] });
    for (const reference of symbol.references) added.references.push(reference);
  }

  /** References deduplicated (a block expanded twice references its parameters twice). */
  finish(): SymbolInfo[] {
    for (const symbol of this.all) {
      const refs = symbol.references;
      // Most symbols have one or two references, already in order: keep those arrays as they are.
      if (refs.length < 2 || (refs.length === 2 && refs[0]!.start < refs[1]!.start)) continue;
      const seen = new Set<number>();
      symbol.references = refs.filter((r) => !seen.has(r.start) && seen.add(r.start) !== undefined).sort((a, b) => a.start - b.start);
    }
    return this.all;
  }
}
