import type { Expr, Setting, SourceRange } from '../../grammar/ast.js';
import { EARLY_STOPPING, findSetting, settingNames } from '../ops/registry.js';
import type { SettingDef } from '../ops/settings-types.js';
import { matchArgs, type EvaluatedArg, type MatchedArgs } from './args.js';
import type { Evaluator } from './evaluate.js';
import { suggest } from './suggest.js';

const KIND_WORDS: Record<SettingDef['kind'], string> = {
  loss: 'loss',
  optimizer: 'optimizer',
  schedule: 'schedule',
  clip: 'clipping',
  regularizer: 'regulariser',
  augmentation: 'augmentation',
  metric: 'metric',
  initializer: 'initialiser',
  callback: 'callback',
};

/**
 * A value written as `name` or `name(args)` naming a registry entry of `kind`: looked up (with
 * did-you-mean), and its arguments matched. Undefined after reporting a problem.
 */
export function namedCall(ev: Evaluator, setting: Setting, expr: Expr | undefined, kind: SettingDef['kind']): { def: SettingDef; args: MatchedArgs; range: SourceRange; call: Expr } | undefined {
  const reporter = ev.ctx.reporter;
  if (!expr) {
    reporter.report('NN3009', [setting.key.name, `a ${KIND_WORDS[kind]}`], setting.range);
    return undefined;
  }
  const callee = expr.kind === 'Call' ? expr.callee : expr.kind === 'Name' ? { name: expr.name, range: expr.range, missing: false } : undefined;
  if (!callee) {
    if (expr.kind !== 'Error') reporter.report('NN3009', [setting.key.name, `a ${KIND_WORDS[kind]} such as ${settingNames(kind).slice(0, 3).join(', ')}`], expr.range);
    return undefined;
  }
  if (callee.missing || callee.name === '') return undefined;
  const def = kind === 'callback' ? (callee.name === EARLY_STOPPING.name ? EARLY_STOPPING : undefined) : findSetting(kind, callee.name);
  if (!def) {
    const s = suggest(callee.name, callee.range, settingNames(kind));
    reporter.report('NN3003', [KIND_WORDS[kind], callee.name, s.hint], callee.range, s.fix ? { fix: s.fix } : {});
    return undefined;
  }
  const args: EvaluatedArg[] = expr.kind === 'Call' ? ev.args(expr.args, { base: setting.key.name, final: null }) : [];
  const matched = matchArgs(def.name, def.params, args, expr.range, { ...ev.matchContext, rangeCode: 'NN3005' });
  return matched.ok ? { def, args: matched, range: expr.range, call: expr } : undefined;
}

