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
}

/**
 * Lexical scopes: file (constants, blocks, models), model (inputs, values, constants, dims) and
 * block (parameters, locals). Lookup walks outwards; every successful lookup records a reference on
 * the binding's symbol, which is what go-to-definition, references and rename read.
 */
export class Scope {
  private readonly bindings = new Map<string, Binding>();

  constructor(readonly container: string, private readonly parent: Scope | null, private readonly symbols: SymbolTable) {}

  /** Binds `name`; a second binding in the same scope is reported (NN2004) and ignored. */
  define(name: Ident, kind: SymbolKind, value: Value, declaration: SourceRange, reporter: Reporter): Binding | undefined {
    if (name.missing || name.name === '') return undefined;
    const existing = this.bindings.get(name.name);
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
    const binding = this.bindings.get(name) ?? this.parent?.lookup(name, at, fromModel);
    if (binding && this.bindings.get(name) === binding) {
      binding.used = true;
      if (fromModel) binding.usedByModel = true;
      binding.symbol.references.push(at);
    }
    return binding;
  }

  /** Bound here (not in a parent) — for redefinition checks without recording a reference. */
  has(name: string): boolean {
    return this.bindings.has(name);
  }

  /** Every name visible from here, for did-you-mean. */
  visibleNames(): string[] {
    return [...this.bindings.keys(), ...(this.parent?.visibleNames() ?? [])];
  }

  ownBindings(): IterableIterator<[string, Binding]> {
    return this.bindings.entries();
  }

  /**
   * A copy of this (top-level) scope whose bindings record their references in `symbols`: each
   * model is checked against its own copy, so that what it adds can be kept and merged on its own.
   */
  fork(symbols: SymbolTable): Scope {
    const copy = new Scope(this.container, this.parent, symbols);
    for (const [name, binding] of this.bindings) {
      const symbol = symbols.add({ ...binding.symbol, references: [] });
      copy.bindings.set(name, { value: binding.value, symbol, used: false, usedByModel: false });
    }
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
