import type { BlockDecl, Expr, Ident } from '../../grammar/ast.js';
import type { EvaluatedArg } from './args.js';
import type { Evaluator, Naming } from './evaluate.js';
import { finalExpr } from './final-expr.js';
import { Scope } from './resolve.js';
import { suggest } from './suggest.js';
import { describe, ERROR, type Value } from './values.js';
import { reportUnused } from './unused.js';
import { checkTupleAssign } from './split.js';

/**
 * Expands a block at a call: binds its parameters (the first to the input tensor, the rest to
 * constants, defaults filled), evaluates its body in a fresh scope whose parent is the file scope,
 * and returns the value of its `return`. Layers inside are named `<call-site value>/<name>`, and
 * every diagnostic raised inside carries a note pointing at this call.
 */
export function expandBlock(ev: Evaluator, block: BlockDecl, callee: Ident, args: EvaluatedArg[], site: Expr, naming: Naming): Value {
  const { reporter } = ev.ctx;
  const name = block.name.name;
  ev.ctx.usedBlocks.add(name);
  ev.ctx.fileScope.lookup(name, callee.range);
  if (ev.expanding.includes(name)) {
    const path = [...ev.expanding.slice(ev.expanding.indexOf(name)), name].join(' → ');
    reporter.report('NN2021', [name, ` (${path})`], callee.range);
    return ERROR;
  }
  // A block without `return` is a syntax error (NN1017, reported by the parser).
  if (!block.result) return ERROR;

  // `frozen: true` at the call freezes every layer the expansion makes, unless the block has a
  // parameter of that name (then it is the block's own argument).
  const ownFrozen = block.params.some((p) => p.name.name === 'frozen');
  const freeze = ownFrozen ? undefined : args.find((a) => a.name?.name === 'frozen');
  const frozen = freeze ? frozenFlag(ev, freeze) : false;
  if (frozen === undefined) return ERROR;
  const bound = bindParams(ev, block, freeze ? args.filter((a) => a !== freeze) : args, site);
  if (!bound) return ERROR;

  // The block's value is named after the statement when the call computes it, else `<base>/<block>`.
  // Its inner layers go under the same name, except when earlier stages of the statement already
  // expanded this block (`x |> basic |> basic |> basic`): the last one's are then `s1/basic_3/h`,
  // like the others', not `s1/h`.
  const final = site === naming.final;
  const base = final ? (naming.finalName ?? naming.base) : ev.builder.uniquePrefix(`${naming.base}/${name}`);
  const innerBase = final && ev.builder.hasPrefix(`${naming.base}/${name}`) ? ev.builder.uniquePrefix(`${naming.base}/${name}`) : base;
  const before = ev.builder.summary.length;
  const expansion = { block: name, name: base, first: ev.builder.graph.nodes.length, end: 0 };
  ev.builder.blocks.push(expansion);
  const expand = () => reporter.withinBlock(name, site.range, () => {
    const scope = new Scope(name, ev.ctx.fileScope, ev.ctx.symbols);
    const inner = ev.child(scope, [...ev.expanding, name]);
    block.params.forEach((param, i) => {
      const value = bound[i] ?? (param.default ? inner.expr(param.default, { base: innerBase, final: null }) : ERROR);
      scope.define(param.name, 'param', value, param.range, reporter);
    });
    for (const stmt of block.body) {
      if (stmt.kind === 'TupleAssign') {
        checkTupleAssign(inner, stmt, (part) => `${innerBase}/${part}`);
        continue;
      }
      const value = stmt.kind === 'Let'
        ? inner.constant(stmt.value, stmt.name.name)
        : inner.expr(stmt.value, { base: `${innerBase}/${stmt.name.name}`, final: finalExpr(stmt.value) });
      scope.define(stmt.name, stmt.kind === 'Let' ? 'const' : 'value', value, stmt.range, reporter);
    }
    const returned = inner.expr(block.result!.value, { base: innerBase, final: finalExpr(block.result!.value), finalName: base });
    reportUnused(scope, reporter, new Set());
    return returned;
  });
  if (block.shared) {
    // One set of weights for every use: they are frozen at all uses or at none.
    const state = (f: boolean) => (f ? 'frozen' : 'not frozen');
    const effective = frozen || ev.builder.frozen();
    const first = ev.builder.sharedFreezing(name, effective, site.range);
    if (first && first.frozen !== effective) {
      reporter.report('NN2032', [name, state(effective), state(first.frozen)], freeze?.range ?? site.range, { related: [{ message: `its first use, ${state(first.frozen)}, is here`, range: first.range }] });
      return ERROR;
    }
  }
  const inScope = () => (block.shared ? ev.builder.withinSharedBlock(name, expand) : expand());
  const result = frozen ? ev.builder.withinFrozen(inScope) : inScope();
  expansion.end = ev.builder.graph.nodes.length;

  if (result.kind !== 'tensor') {
    if (result.kind !== 'error') reporter.report('NN2016', ['the block to return a tensor', describe(result)], block.result.range);
    return ERROR;
  }
  const params = ev.builder.summary.slice(before).reduce((sum, row) => sum + row.params, 0);
  ev.ctx.values.add({ range: site.range, type: result.type, op: name, inputTypes: [bound[0]!].flatMap((v) => (v.kind === 'tensor' ? [v.type] : [])), params });
  return { ...result, origin: site.range, name: base };
}

/** The value of `frozen:` at a block call: true or false, undefined after reporting anything else. */
function frozenFlag(ev: Evaluator, arg: EvaluatedArg): boolean | undefined {
  if (arg.value.kind === 'bool') return arg.value.value;
  if (arg.value.kind !== 'error') ev.ctx.reporter.report('NN2008', ['frozen', 'a block call', 'true or false', describe(arg.value)], arg.range);
  return undefined;
}

/** Positional then named arguments to parameter slots; undefined after reporting a mismatch. */
function bindParams(ev: Evaluator, block: BlockDecl, args: EvaluatedArg[], site: Expr): Value[] | undefined {
  const { reporter } = ev.ctx;
  const name = block.name.name;
  const slots: (Value | undefined)[] = block.params.map(() => undefined);
  let ok = true;
  const positional = args.filter((a) => !a.name);
  if (positional.length > block.params.length) {
    const names = block.params.map((p) => p.name.name).join(', ');
    reporter.report('NN2006', [`block ${name}`, `${block.params.length} argument${block.params.length === 1 ? '' : 's'} (${names})`, positional.length], site.range);
    return undefined;
  }
  positional.forEach((arg, i) => (slots[i] = arg.value));
  for (const arg of args) {
    if (!arg.name) continue;
    const index = block.params.findIndex((p) => p.name.name === arg.name!.name);
    if (index < 0) {
      const s = suggest(arg.name.name, arg.name.range, block.params.map((p) => p.name.name));
      reporter.report('NN2007', [`block ${name}`, arg.name.name, s.hint], arg.name.range, s.fix ? { fix: s.fix } : {});
      ok = false;
    } else if (slots[index] !== undefined) {
      reporter.report('NN2009', [arg.name.name, `block ${name}`], arg.name.range);
      ok = false;
    } else {
      slots[index] = arg.value;
    }
  }
  block.params.forEach((param, i) => {
    if (slots[i] === undefined && !param.default) {
      reporter.report('NN2010', [`block ${name}`, param.name.name], site.range);
      ok = false;
    }
  });
  const first = slots[0];
  if (first && first.kind !== 'tensor') {
    if (first.kind === 'word') {
      const s = suggest(first.name, first.range, ev.scope.visibleNames());
      reporter.report('NN2001', [first.name, s.hint], first.range, s.fix ? { fix: s.fix } : {});
    } else if (first.kind !== 'error') {
      reporter.report('NN2023', [name, describe(first)], args[0]!.range);
    }
    ok = false;
  }
  if (slots.some((s) => s?.kind === 'error')) ok = false;
  return ok ? (slots as Value[]) : undefined;
}

