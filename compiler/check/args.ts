import type { Ident, SourceRange } from '../../grammar/ast.js';
import type { InitSpec } from '../ir/types.js';
import { ACTIVATION_OP_NAMES } from '../ops/registry.js';
import type { ArgValue, ParamDef } from '../ops/types.js';
import { INITIALIZERS } from '../ops/initializers.js';
import type { Reporter } from './reporter.js';
import { suggest } from './suggest.js';
import { describe, type TensorValue, type Value } from './values.js';

/** An argument after evaluation. */
export interface EvaluatedArg {
  name?: Ident;
  value: Value;
  range: SourceRange;
}

/** A literal weight list, kept with its shape to be checked against the parameter's shape. */
interface LiteralWeight {
  shape: number[];
  range: SourceRange;
}

export interface MatchedArgs {
  /** Tensor arguments in order (for `tensors` params, all of them). */
  tensors: TensorValue[];
  /** Every non-tensor parameter, defaults filled. */
  values: Record<string, ArgValue>;
  literals: Map<string, LiteralWeight>;
  /** Weights given as `tied(value)`: the layer whose weight they reuse. */
  ties: Map<string, { layer: TensorValue; range: SourceRange; transpose: boolean }>;
  /** Where each argument was written, for later range errors. */
  ranges: Map<string, SourceRange>;
  /** False when an argument was wrong (already reported) or a tensor argument is an error. */
  ok: boolean;
}

export interface MatchContext {
  reporter: Reporter;
  /** Names in scope, for "did you mean" on an undefined tensor name. */
  visibleNames: () => Iterable<string>;
  /** Out-of-range numbers are NN2011 for ops; the train section reports them as NN3005. */
  rangeCode?: 'NN2011' | 'NN3005';
}

/**
 * Matches a call's arguments to a signature: positional ones in order (skipping named-only
 * parameters), then named ones; reports too many, unknown, doubled and missing arguments, converts
 * each value to its parameter's kind, and fills defaults.
 */
export function matchArgs(callee: string, params: readonly ParamDef[], args: readonly EvaluatedArg[], callRange: SourceRange, ctx: MatchContext): MatchedArgs {
  const result: MatchedArgs = { tensors: [], values: {}, literals: new Map(), ties: new Map(), ranges: new Map(), ok: true };
  const given = new Map<string, EvaluatedArg[]>();
  const positionalParams = params.filter((p) => !p.namedOnly);
  const variadic = params[0]?.kind === 'tensors';
  let position = 0;
  let tooMany = 0;

  for (const arg of args) {
    if (arg.name) continue;
    if (variadic) {
      push(given, params[0]!.name, arg);
      continue;
    }
    const param = positionalParams[position];
    position++;
    if (!param) {
      tooMany++;
      continue;
    }
    push(given, param.name, arg);
  }
  if (tooMany > 0) {
    const names = positionalParams.map((p) => p.name).join(', ');
    const count = positionalParams.length;
    ctx.reporter.report('NN2006', [callee, `${count} positional argument${count === 1 ? '' : 's'} (${names})`, `${count + tooMany}`], callRange);
    result.ok = false;
  }

  for (const arg of args) {
    if (!arg.name || arg.name.missing) continue;
    const param = params.find((p) => p.name === arg.name!.name && p.kind !== 'tensors');
    if (!param) {
      const s = suggest(arg.name.name, arg.name.range, params.filter((p) => p.kind !== 'tensor' && p.kind !== 'tensors').map((p) => p.name));
      ctx.reporter.report('NN2007', [callee, arg.name.name, s.hint], arg.name.range, s.fix ? { fix: s.fix } : {});
      result.ok = false;
      continue;
    }
    if (given.has(param.name)) {
      ctx.reporter.report('NN2009', [param.name, callee], arg.name.range);
      result.ok = false;
      continue;
    }
    push(given, param.name, arg);
  }

  for (const param of params) {
    const supplied = given.get(param.name);
    if (param.kind === 'tensors') {
      for (const arg of supplied ?? []) {
        const tensor = toTensor(arg, param, callee, ctx);
        if (tensor) result.tensors.push(tensor);
        else result.ok = false;
      }
      continue;
    }
    if (!supplied) {
      if (param.default === undefined) {
        ctx.reporter.report('NN2010', [callee, param.name], callRange);
        result.ok = false;
      } else if (param.kind !== 'tensor') {
        result.values[param.name] = param.default;
      }
      continue;
    }
    const arg = supplied[0]!;
    result.ranges.set(param.name, arg.range);
    if (param.kind === 'tensor') {
      const tensor = toTensor(arg, param, callee, ctx);
      if (tensor) result.tensors.push(tensor);
      else result.ok = false;
      continue;
    }
    const converted = convert(arg, param, callee, ctx, result);
    if (converted === undefined) result.ok = false;
    else result.values[param.name] = converted;
  }
  return result;
}

function push(map: Map<string, EvaluatedArg[]>, key: string, arg: EvaluatedArg): void {
  const list = map.get(key);
  if (list) list.push(arg);
  else map.set(key, [arg]);
}

function toTensor(arg: EvaluatedArg, param: ParamDef, callee: string, ctx: MatchContext): TensorValue | undefined {
  const value = arg.value;
  if (value.kind === 'tensor') return value;
  if (value.kind === 'error') return undefined;
  if (value.kind === 'word') {
    const s = suggest(value.name, value.range, ctx.visibleNames());
    ctx.reporter.report('NN2001', [value.name, s.hint], value.range, s.fix ? { fix: s.fix } : {});
    return undefined;
  }
  ctx.reporter.report('NN2008', [param.name, callee, 'a tensor', describe(value)], arg.range);
  return undefined;
}

/** Converts one argument to its parameter's kind; undefined after reporting why it cannot. */
function convert(arg: EvaluatedArg, param: ParamDef, callee: string, ctx: MatchContext, out: MatchedArgs): ArgValue | undefined {
  const value = arg.value;
  const wrong = (expected: string): undefined => {
    if (value.kind !== 'error') ctx.reporter.report('NN2008', [param.name, callee, expected, describe(value)], arg.range);
    return undefined;
  };
  switch (param.kind) {
    case 'int':
    case 'axis':
    case 'number': {
      if (value.kind !== 'number') return wrong(param.kind === 'number' ? 'a number' : 'a whole number');
      if (param.kind !== 'number' && !Number.isInteger(value.value)) return wrong('a whole number');
      return checkRange(value.value, param, callee, arg.range, ctx) ? value.value : undefined;
    }
    case 'bool':
      return value.kind === 'bool' ? value.value : wrong('true or false');
    case 'string':
      return value.kind === 'string' ? value.value : wrong('a string');
    case 'word':
      if (value.kind === 'word') return value.name;
      // A name that happens to be bound, such as an input named in `noise(on: image)`.
      if (value.kind === 'tensor') return value.name;
      if (value.kind === 'string') return value.value;
      return wrong('a name');
    case 'choice': {
      // A choice that is also an activation's name (upsample1d's `mode: linear`) evaluates as the activation.
      const bareActivation = value.kind === 'activation' && value.activation.alpha === undefined && value.activation.axis === undefined;
      const word = value.kind === 'word' ? value.name : value.kind === 'string' ? value.value : bareActivation ? value.activation.name : undefined;
      const choices = param.choices ?? [];
      if (word !== undefined && choices.includes(word)) return word;
      if (word !== undefined && value.kind === 'word') {
        const s = suggest(word, value.range, choices);
        ctx.reporter.report('NN2008', [param.name, callee, `one of ${choices.join(', ')}`, `'${word}'${s.hint ? ` (did you mean '${s.fix!.edits[0]!.newText}'?)` : ''}`], arg.range, s.fix ? { fix: s.fix } : {});
        return undefined;
      }
      return wrong(`one of ${choices.join(', ')}`);
    }
    case 'ints': {
      const items = value.kind === 'number' ? [value] : value.kind === 'list' ? value.items : null;
      if (!items) return wrong('a whole number or a list of them');
      const numbers: number[] = [];
      for (const item of items) {
        if (item.kind !== 'number' || !Number.isInteger(item.value)) return wrong('whole numbers');
        if (!checkRange(item.value, param, callee, arg.range, ctx)) return undefined;
        numbers.push(item.value);
      }
      return value.kind === 'number' ? numbers[0]! : numbers;
    }
    case 'numbers': {
      if (value.kind !== 'list') return wrong('a list of numbers');
      const numbers: number[] = [];
      for (const item of value.items) {
        if (item.kind !== 'number') return wrong('a list of numbers');
        if (!checkRange(item.value, param, callee, arg.range, ctx)) return undefined;
        numbers.push(item.value);
      }
      return numbers;
    }
    case 'axes': {
      // An axis by position (-1) or by the name of its symbolic dim (seq); the op resolves names.
      const one = (v: Value): number | string | undefined => (v.kind === 'number' && Number.isInteger(v.value) ? v.value : v.kind === 'dim' ? v.name : undefined);
      if (value.kind === 'list') {
        const items = value.items.map(one);
        return items.every((i) => i !== undefined) ? (items as Array<number | string>) : wrong('axes: whole numbers or symbolic dim names');
      }
      return one(value) ?? wrong('an axis: a whole number, a symbolic dim name or a list of them');
    }
    case 'activation': {
      if (value.kind === 'activation') return value.activation;
      if (value.kind === 'word') {
        const s = suggest(value.name, value.range, ACTIVATION_OP_NAMES);
        ctx.reporter.report('NN2026', [value.name, s.hint], value.range, s.fix ? { fix: s.fix } : {});
        return undefined;
      }
      return wrong('an activation');
    }
    case 'weight':
      return convertWeight(arg, param, callee, ctx, out);
    case 'any':
      return anyValue(value);
    case 'tensor':
    case 'tensors':
      return undefined;
  }
}

function checkRange(n: number, param: ParamDef, callee: string, range: SourceRange, ctx: MatchContext): boolean {
  const { min, max } = param;
  if (max !== undefined && param.kind === 'int' && n > max && max >= 1024) {
    ctx.reporter.report('NN2012', [param.name, callee, n, max], range);
    return false;
  }
  const belowMin = min !== undefined && (param.minExclusive ? n <= min : n < min);
  const aboveMax = max !== undefined && (param.maxExclusive ? n >= max : n > max);
  if (!belowMin && !aboveMax) return true;
  if (param.kind !== 'number' && max !== undefined && n > max) {
    ctx.reporter.report('NN2012', [param.name, callee, n, max], range);
    return false;
  }
  if (ctx.rangeCode === 'NN3005') ctx.reporter.report('NN3005', [`${param.name} of ${callee}`, rangeText(param), n], range);
  else ctx.reporter.report('NN2011', [param.name, callee, rangeText(param), n], range);
  return false;
}

function rangeText(param: Pick<ParamDef, 'min' | 'max' | 'minExclusive' | 'maxExclusive'>): string {
  const { min, max } = param;
  if (min !== undefined && max !== undefined) return `in ${param.minExclusive ? '(' : '['}${min}, ${max}${param.maxExclusive ? ')' : ']'}`;
  if (min !== undefined) return min === 0 ? (param.minExclusive ? '> 0' : '≥ 0') : `${param.minExclusive ? '>' : '≥'} ${min}`;
  return `${param.maxExclusive ? '<' : '≤'} ${max}`;
}

const NO_ARG_INITIALIZERS = new Set(INITIALIZERS.filter((i) => i.params.length === 0).map((i) => i.name));

function convertWeight(arg: EvaluatedArg, param: ParamDef, callee: string, ctx: MatchContext, out: MatchedArgs): ArgValue | undefined {
  const value = arg.value;
  if (value.kind === 'init') return value.spec;
  if (value.kind === 'tie') {
    out.ties.set(param.name, { layer: value.layer, range: arg.range, transpose: value.transpose });
    return param.default;
  }
  if (value.kind === 'word') {
    if (NO_ARG_INITIALIZERS.has(value.name)) return { kind: value.name } as InitSpec;
    const s = suggest(value.name, value.range, INITIALIZERS.map((i) => i.name));
    ctx.reporter.report('NN2025', [value.name, s.hint], value.range, s.fix ? { fix: s.fix } : {});
    return undefined;
  }
  if (value.kind === 'bool') {
    if (value.value) return wrongWeight(param, callee, 'true', arg, ctx);
    if (param.optional) return false;
    ctx.reporter.report('NN2015', [param.name], arg.range);
    return undefined;
  }
  if (value.kind === 'number' || value.kind === 'list') {
    const literal = flattenLiteral(value, ctx, arg.range);
    if (!literal) return undefined;
    out.literals.set(param.name, { shape: literal.shape, range: arg.range });
    return { kind: 'literal', values: literal.values };
  }
  if (value.kind === 'error') return undefined;
  return wrongWeight(param, callee, describe(value), arg, ctx);
}

function wrongWeight(param: ParamDef, callee: string, got: string, arg: EvaluatedArg, ctx: MatchContext): undefined {
  ctx.reporter.report('NN2008', [param.name, callee, 'an initialiser, a literal list, load(...) or tied(...)', got], arg.range);
  return undefined;
}

/** A nested number list as row-major values and a shape; ragged or non-numeric lists are reported. */
function flattenLiteral(value: Value, ctx: MatchContext, range: SourceRange): { values: number[]; shape: number[] } | undefined {
  const values: number[] = [];
  let shape: number[] | undefined;
  const walk = (v: Value, depth: number, dims: number[]): boolean => {
    if (v.kind === 'number') {
      if (shape === undefined) shape = dims;
      else if (shape.length !== depth) return false;
      values.push(v.value);
      return true;
    }
    if (v.kind !== 'list') return false;
    const here = [...dims, v.items.length];
    if (shape !== undefined && (shape.length <= depth || shape[depth] !== v.items.length)) return false;
    if (v.items.length === 0) return false;
    return v.items.every((item) => walk(item, depth + 1, here));
  };
  if (!walk(value, 0, [])) {
    ctx.reporter.report('NN2014', ['every row must have the same length and hold only numbers'], range);
    return undefined;
  }
  return { values, shape: shape ?? [] };
}

function anyValue(value: Value): ArgValue | undefined {
  switch (value.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return value.value;
    case 'word':
      return value.name;
    default:
      return undefined;
  }
}
