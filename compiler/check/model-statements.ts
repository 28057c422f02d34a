import type { Expr, InputDecl, ModelDecl, TrainSection } from '../../grammar/ast.js';
import type { CheckedModel } from '../api-types.js';
import type { Dim, DType } from '../ir/types.js';
import { MAX_PARAMS, MAX_UNITS } from '../ops/common.js';
import { LayerGraphBuilder } from './build-graph.js';
import type { CheckContext } from './context.js';
import { Evaluator } from './evaluate.js';
import { finalExpr } from './final-expr.js';
import { Scope } from './resolve.js';
import { suggest } from './suggest.js';
import { checkTrainSection } from './train-section.js';
import { reportUnused } from './unused.js';
import { checkTupleAssign } from './split.js';
import { describe, type TensorValue } from './values.js';

/**
 * Checks one model: inputs (shapes with symbolic dims), constants, values and outputs in order,
 * then its train section; builds the layer graph and the summary on the way.
 */
export function checkModel(ctx: CheckContext, model: ModelDecl): CheckedModel {
  const { reporter } = ctx;
  const errorsBefore = reporter.errorCount;
  const builder = new LayerGraphBuilder();
  const scope = new Scope(model.name.name, ctx.fileScope, ctx.symbols);
  const ev = new Evaluator(ctx, builder, scope);
  const outputs = new Set<string>();
  let train: TrainSection | undefined;

  for (const stmt of model.body) {
    switch (stmt.kind) {
      case 'Input':
        checkInput(ev, stmt);
        break;
      case 'Let':
        scope.define(stmt.name, 'const', ev.constant(stmt.value, stmt.name.name), stmt.range, reporter);
        break;
      case 'Assign': {
        const value = ev.expr(stmt.value, { base: stmt.name.name, final: finalExpr(stmt.value) });
        scope.define(stmt.name, 'value', value, stmt.range, reporter);
        break;
      }
      case 'TupleAssign':
        checkTupleAssign(ev, stmt, (name) => name);
        break;
      case 'Output': {
        const name = stmt.name.name;
        if (stmt.name.missing || name === '') break;
        let value;
        if (stmt.value) {
          value = ev.expr(stmt.value, { base: name, final: finalExpr(stmt.value) });
          scope.define(stmt.name, 'output', value, stmt.range, reporter);
        } else {
          const binding = scope.lookup(name, stmt.name.range);
          if (!binding) {
            const s = suggest(name, stmt.name.range, scope.visibleNames());
            reporter.report('NN2001', [name, s.hint], stmt.name.range, s.fix ? { fix: s.fix } : {});
            break;
          }
          value = binding.value;
        }
        if (value.kind === 'tensor') {
          if (!outputs.has(name)) builder.addOutput(name, value.node);
        } else if (value.kind !== 'error') {
          reporter.report('NN2016', ['a tensor as output', describe(value)], stmt.value?.range ?? stmt.name.range);
        }
        outputs.add(name);
        break;
      }
      case 'Train':
        if (train) reporter.report('NN3008', ['train'], stmt.keyword);
        else train = stmt;
        break;
    }
  }

  const missing = [
    ...(model.body.some((s) => s.kind === 'Input') ? [] : ['input']),
    ...(outputs.size === 0 ? ['output'] : []),
  ];
  if (missing.length > 0) reporter.report('NN2020', [model.name.name, missing.join(' and no ')], model.name.range);

  const trainEv = new Evaluator(ctx, builder, scope, false);
  const trainConfig = train ? checkTrainSection(trainEv, train, builder.graph) : null;

  reportUnused(scope, reporter, outputs);
  for (const input of builder.graph.inputs) {
    const binding = [...scope.ownBindings()].find(([name]) => name === input.name)?.[1];
    input.labelOnly = binding !== undefined && binding.used && !binding.usedByModel;
  }

  const rows = builder.summary;
  const totalParams = rows.reduce((sum, row) => sum + row.params, 0);
  const trainableParams = builder.graph.params
    .filter((p) => p.trainable)
    .reduce((sum, p) => sum + (builder.graph.nodes[p.node]!.type.shape as number[]).reduce((a, b) => a * b, 1), 0);
  if (totalParams > MAX_PARAMS) reporter.report('NN2027', [totalParams.toExponential(2), MAX_PARAMS.toExponential(0)], model.name.range);

  return {
    name: model.name.name,
    range: model.range,
    graph: builder.graph,
    train: trainConfig,
    summary: rows,
    totalParams,
    trainableParams,
    ok: reporter.errorCount === errorsBefore,
    blocks: builder.blocks,
  };
}

function checkInput(ev: Evaluator, input: InputDecl): void {
  const { reporter } = ev.ctx;
  const shape: Dim[] = [];
  let valid = true;
  for (const dim of input.shape.dims) {
    const d = inputDim(ev, dim);
    if (d === undefined) valid = false;
    else shape.push(d);
  }
  // An unknown dtype word is a syntax error (NN1016, reported by the parser); the input stays f32.
  const dtype: DType = input.dtype?.name === 'int' ? 'i32' : 'f32';
  if (input.name.missing || input.name.name === '') return;
  if (!valid) {
    ev.scope.define(input.name, 'input', { kind: 'error' }, input.range, reporter);
    return;
  }
  const type = { shape, dtype };
  const node = ev.builder.addInput(input.name.name, type, input.range);
  const value: TensorValue = { kind: 'tensor', node, type, origin: input.range, name: input.name.name, lastOp: 'input' };
  const binding = ev.scope.define(input.name, 'input', value, input.range, reporter);
  if (binding) binding.symbol.type = type;
  ev.ctx.values.add({ range: input.shape.range, type });
}

/**
 * One dim of an input shape: a positive whole number (after folding constants), or a symbolic
 * name. A name seen for the first time in a model declares a dim symbol; later uses reference it.
 */
function inputDim(ev: Evaluator, dim: Expr): Dim | undefined {
  const { reporter } = ev.ctx;
  if (dim.kind === 'Name') {
    const binding = ev.scope.lookup(dim.name, dim.range);
    if (binding) {
      const v = binding.value;
      if (v.kind === 'dim') return v.name;
      if (v.kind === 'number') return checkSize(v.value);
      reporter.report('NN2018', [`'${dim.name}' (${describe(v)})`], dim.range);
      return undefined;
    }
    ev.scope.define({ kind: 'Ident', name: dim.name, range: dim.range }, 'dim', { kind: 'dim', name: dim.name }, dim.range, reporter);
    return dim.name;
  }
  const value = ev.expr(dim, { base: '', final: null });
  if (value.kind === 'number') return checkSize(value.value);
  if (value.kind !== 'error') reporter.report('NN2018', [describe(value)], dim.range);
  return undefined;

  function checkSize(n: number): number | undefined {
    if (Number.isInteger(n) && n >= 1 && n <= MAX_UNITS * 16) return n;
    if (Number.isInteger(n) && n > MAX_UNITS * 16) reporter.report('NN2012', ['dim', 'input', n, MAX_UNITS * 16], dim.range);
    else reporter.report('NN2018', [String(n)], dim.range);
    return undefined;
  }
}
