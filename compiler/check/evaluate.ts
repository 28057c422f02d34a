import type { CallExpr, Expr, Ident, PipeExpr, SourceRange } from '../../grammar/ast.js';
import { findOp, findSetting, OPS } from '../ops/registry.js';
import type { InitSpec } from '../ir/types.js';
import type { ActivationArg } from '../ops/types.js';
import { activationAlphaDefault } from '../../runtime/plan/activations.js';
import { INITIALIZERS } from '../ops/initializers.js';
import { matchArgs, type EvaluatedArg, type MatchContext } from './args.js';
import { applyOp } from './apply-op.js';
import type { LayerGraphBuilder } from './build-graph.js';
import type { CheckContext } from './context.js';
import { expandBlock } from './expand-blocks.js';
import type { Scope } from './resolve.js';
import { suggest } from './suggest.js';
import { describe, ERROR, type Value } from './values.js';
import { binaryOperator, negate } from './arithmetic.js';
import { indexTensor } from './indexing.js';
import { BIDIRECTIONAL, unwrapBidirectional } from './bidirectional-sugar.js';
import { SPLIT } from '../ops/split.js';
import { splitCall, type SplitTarget } from './split.js';

/**
 * How layers created while evaluating one statement are named: the expression that computes the
 * statement's value gets `base` itself (`h`), any other layer `base/op` (`logits/dense`), and
 * layers of an expanded block `base/<name inside the block>`.
 */
export interface Naming {
  base: string;
  final: Expr | null;
  /** The name the final expression's layer takes; default `base`. */
  finalName?: string;
  /** A tuple assignment's names: the final expression, a split, gives one part to each. */
  targets?: readonly SplitTarget[];
}

const INITIALIZER_NAMES = INITIALIZERS.map((i) => i.name);

/**
 * Evaluates expressions of one model (or one block expansion): constants fold, names resolve
 * through the scope, calls become layer nodes (applyOp) or expanded blocks (expandBlock).
 */
export class Evaluator {
  constructor(
    readonly ctx: CheckContext,
    readonly builder: LayerGraphBuilder,
    readonly scope: Scope,
    /** False while evaluating the train section: inputs read only there are label-only. */
    readonly fromModel = true,
    /** Blocks being expanded, outermost first, to refuse recursion. */
    readonly expanding: readonly string[] = [],
  ) {}

  child(scope: Scope, expanding: readonly string[]): Evaluator {
    return new Evaluator(this.ctx, this.builder, scope, this.fromModel, expanding);
  }

  get matchContext(): MatchContext {
    return { reporter: this.ctx.reporter, visibleNames: () => this.scope.visibleNames() };
  }

  expr(expr: Expr, naming: Naming): Value {
    switch (expr.kind) {
      case 'Number':
        return { kind: 'number', value: expr.value };
      case 'String':
        return { kind: 'string', value: expr.value };
      case 'Bool':
        return { kind: 'bool', value: expr.value };
      case 'List':
        return { kind: 'list', items: expr.items.map((item) => this.expr(item, naming)), range: expr.range };
      case 'Name':
        return this.name(expr.name, expr.range);
      case 'Unary':
        return negate(this, { value: this.expr(expr.operand, naming), range: expr.operand.range }, expr, naming);
      case 'Binary': {
        const left = { value: this.expr(expr.left, naming), range: expr.left.range };
        return binaryOperator(this, expr.op, left, { value: this.expr(expr.right, naming), range: expr.right.range }, expr, naming);
      }
      case 'Call': {
        const call = this.unwrapped(expr);
        return call ? this.call(call.callee, this.args(call.args, naming), expr, naming) : ERROR;
      }
      case 'Pipe':
        return this.pipe(expr, naming);
      case 'Index':
        return indexTensor(this, expr, naming);
      case 'Error':
        return ERROR;
    }
  }

  /** The value of a `let`: a bare unknown name there is an undefined name, not a word. */
  constant(expr: Expr, base: string): Value {
    const value = this.expr(expr, { base, final: null });
    if (value.kind !== 'word') return value;
    const s = suggest(value.name, value.range, this.scope.visibleNames());
    this.ctx.reporter.report('NN2001', [value.name, s.hint], value.range, s.fix ? { fix: s.fix } : {});
    return ERROR;
  }

  /** A bare name: a binding in scope, else an activation or initialiser, else a word for the consumer. */
  name(name: string, range: SourceRange): Value {
    if (name === '') return ERROR;
    const binding = this.scope.lookup(name, range, this.fromModel);
    if (binding) return binding.value;
    const op = findOp(name);
    if (op?.category === 'activation') return { kind: 'activation', activation: { name } };
    if (findSetting('initializer', name)?.params.length === 0) return { kind: 'init', spec: { kind: name } as InitSpec };
    return { kind: 'word', name, range };
  }

  args(args: CallExpr['args'], naming: Naming): EvaluatedArg[] {
    const inner: Naming = { base: naming.base, final: null };
    return args.map((arg) => ({ ...(arg.name ? { name: arg.name } : {}), value: this.expr(arg.value, inner), range: arg.value.range }));
  }

  /** `callee(args)`: a block, an op, an activation with arguments, or an initialiser with arguments. */
  call(callee: Ident, args: EvaluatedArg[], site: Expr, naming: Naming): Value {
    const name = callee.name;
    if (callee.missing || name === '') return ERROR;
    const block = this.ctx.blocks.get(name);
    if (block && !this.scope.has(name)) return expandBlock(this, block, callee, args, site, naming);
    if (name === SPLIT.name) return splitCall(this, args, site, naming);
    const op = findOp(name);
    if (op) {
      if (op.category === 'activation' && !args.some((a) => a.value.kind === 'tensor' || a.value.kind === 'word' || a.value.kind === 'error')) {
        return this.activationWithArgs(name, args, site.range);
      }
      return applyOp(this, op, args, site, naming);
    }
    if (name === 'tied') return this.tie(args, site.range);
    const init = findSetting('initializer', name);
    if (init) {
      const matched = matchArgs(name, init.params, args, site.range, this.matchContext);
      if (!matched.ok) return ERROR;
      return { kind: 'init', spec: initSpec(name, matched.values) };
    }
    const candidates = [...this.ctx.blocks.keys(), ...allOpNames(), SPLIT.name, ...INITIALIZER_NAMES];
    const s = suggest(name, callee.range, candidates);
    this.ctx.reporter.report('NN2002', [name, s.hint], callee.range, s.fix ? { fix: s.fix } : {});
    return ERROR;
  }

  /**
   * `tied(emb)` or `tied(enc, transpose: true)`: one value computed by a layer with weights, whose
   * weight a weight argument reuses (transposed: a 2-D weight read as [in, out] for [out, in]).
   */
  private tie(args: EvaluatedArg[], range: SourceRange): Value {
    const positional = args.filter((a) => !a.name);
    const [first] = positional;
    if (positional.length !== 1 || !first) {
      this.ctx.reporter.report('NN2006', ['tied', '1 argument (the value of the layer whose weight to reuse)', positional.length], range);
      return ERROR;
    }
    let transpose = false;
    for (const arg of args) {
      if (!arg.name) continue;
      if (arg.name.name !== 'transpose') {
        const s = suggest(arg.name.name, arg.name.range, ['transpose']);
        this.ctx.reporter.report('NN2007', ['tied', arg.name.name, s.hint], arg.name.range, s.fix ? { fix: s.fix } : {});
        return ERROR;
      }
      if (arg.value.kind !== 'bool') {
        if (arg.value.kind !== 'error') this.ctx.reporter.report('NN2008', ['transpose', 'tied', 'true or false', describe(arg.value)], arg.range);
        return ERROR;
      }
      transpose = arg.value.value;
    }
    const value = first.value;
    if (value.kind === 'tensor') return { kind: 'tie', layer: value, range, transpose };
    if (value.kind === 'word') {
      const s = suggest(value.name, value.range, this.scope.visibleNames());
      this.ctx.reporter.report('NN2001', [value.name, s.hint], value.range, s.fix ? { fix: s.fix } : {});
    } else if (value.kind !== 'error') {
      this.ctx.reporter.report('NN2008', ['the argument', 'tied', 'the value of a layer with weights', describe(value)], first.range);
    }
    return ERROR;
  }

  /** `leaky_relu(0.2)` or `elu(alpha: 0.5)` given as a layer's activation argument. */
  private activationWithArgs(name: string, args: EvaluatedArg[], range: SourceRange): Value {
    const op = findOp(name)!;
    const params = op.params.slice(1);
    const matched = matchArgs(name, params, args, range, this.matchContext);
    if (!matched.ok) return ERROR;
    const activation: ActivationArg = { name };
    if (typeof matched.values.alpha === 'number') activation.alpha = matched.values.alpha;
    else if (activationAlphaDefault(name) !== undefined && args.length > 0) activation.alpha = activationAlphaDefault(name)!;
    if (typeof matched.values.axis === 'number') activation.axis = matched.values.axis;
    return { kind: 'activation', activation };
  }

  private pipe(expr: PipeExpr, naming: Naming): Value {
    const [first, ...stages] = expr.stages;
    let value = this.expr(first!, { ...naming, final: naming.final === first ? first! : null });
    let soFar: SourceRange = first!.range;
    for (const stage of stages) {
      const piped: EvaluatedArg = { value, range: soFar };
      if (stage.kind === 'Name') {
        const callee: Ident = { kind: 'Ident', name: stage.name, range: stage.range };
        value = this.stage(callee, [piped], stage, naming);
      } else if (stage.kind === 'Call') {
        const call = this.unwrapped(stage);
        value = call ? this.stage(call.callee, [piped, ...this.args(call.args, naming)], stage, naming) : ERROR;
      } else if (stage.kind !== 'Error') {
        this.ctx.reporter.report('NN2016', ['an op or block as a pipeline stage', 'an expression'], stage.range);
        value = ERROR;
      } else {
        value = ERROR;
      }
      soFar = { start: expr.range.start, end: stage.range.end };
    }
    return value;
  }

  /** A call, with `bidirectional(lstm(...))` rewritten to the layer it wraps (null: reported); a block of that name wins. */
  private unwrapped(call: CallExpr): CallExpr | null {
    if (call.callee.name !== BIDIRECTIONAL || this.ctx.blocks.has(BIDIRECTIONAL)) return call;
    return unwrapBidirectional(call, this.ctx.reporter);
  }

  /** A pipeline stage: like a call, but a poisoned input ends the pipeline silently. */
  private stage(callee: Ident, args: EvaluatedArg[], site: Expr, naming: Naming): Value {
    if (args[0]!.value.kind === 'error') {
      // Still resolve the stage's own arguments and name, for references and unknown-op errors.
      if (!this.ctx.blocks.has(callee.name) && !findOp(callee.name) && !callee.missing) return this.call(callee, args, site, naming);
      return ERROR;
    }
    return this.call(callee, args, site, naming);
  }

  /** Reports an undefined name (with a suggestion from the scope). */
  undefinedName(name: string, range: SourceRange): Value {
    const s = suggest(name, range, this.scope.visibleNames());
    this.ctx.reporter.report('NN2001', [name, s.hint], range, s.fix ? { fix: s.fix } : {});
    return ERROR;
  }
}

function allOpNames(): string[] {
  return OPS.map((op) => op.name);
}

function initSpec(name: string, values: Record<string, unknown>): InitSpec {
  switch (name) {
    case 'constant':
      return { kind: 'constant', value: values.value as number };
    case 'normal':
      return { kind: 'normal', mean: values.mean as number, std: values.std as number };
    case 'uniform':
      return { kind: 'uniform', low: values.low as number, high: values.high as number };
    case 'load':
      return values.tensor === null || values.tensor === undefined
        ? { kind: 'file', path: values.path as string }
        : { kind: 'file', path: values.path as string, tensor: values.tensor as string };
    default:
      return { kind: name } as InitSpec;
  }
}
