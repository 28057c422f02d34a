import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../compiler/ir/graph.js';
import { compileModel, checkSource } from '../../compiler/index.js';
import { formatShape } from '../../compiler/shapes/dims.js';
import type { Plan, PlanAttr, PlanStep } from '../../runtime/plan/format.js';
import { expectGolden } from './golden-file.js';

/**
 * IR and plan goldens of examples/*.nnet, one line per node or step (shapes, ops and kernels, never
 * weights), so a change to checking, lowering, fusion or autodiff shows in a reviewable diff:
 *   test/golden/ir/NAME.ir.txt      the checked layer-level IR
 *   test/golden/plan/NAME.plan.txt  the CPU plan with fusion (the training plan where the model trains)
 * `npm run golden:update` rewrites them.
 */
const EXAMPLES = join(import.meta.dirname, '../../examples');
const GOLDEN = import.meta.dirname;

/** An attribute as written in a golden line; long lists (literal values) are elided. */
function attrText(value: unknown): string {
  if (Array.isArray(value) && value.length > 8) return `[${value.length} values]`;
  return JSON.stringify(value) ?? 'undefined';
}

function attrsText(attrs: Record<string, unknown>): string {
  const entries = Object.entries(attrs).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '' : ` {${entries.map(([k, v]) => `${k}=${attrText(v)}`).join(', ')}}`;
}

function renderIr(graph: Graph): string {
  const lines = graph.nodes.map((n) => {
    const inputs = n.inputs.map((i) => `%${i}`).join(', ');
    return `%${n.id} = ${n.op}(${inputs})${attrsText(n.attrs)} : ${n.type.dtype}${formatShape(n.type.shape)}  # ${n.origin.layer}`;
  });
  lines.push(`inputs ${graph.inputs.map((i) => `${i.name}=%${i.node}`).join(', ')}`);
  lines.push(`outputs ${graph.outputs.map((o) => `${o.name}=%${o.node}`).join(', ')}`);
  lines.push(`params ${graph.params.map((p) => `${p.name}=%${p.node}`).join(', ') || '(none)'}`);
  return `${lines.join('\n')}\n`;
}

function renderPlan(plan: Plan): string {
  const shapes = new Map(plan.tensors.map((t) => [t.name, `${t.dtype}[${t.shape.join(', ')}]`]));
  const step = (phase: string, s: PlanStep, i: number): string => {
    const outputs = s.outputs.map((o) => `${o}: ${shapes.get(o) ?? '?'}`).join(', ');
    return `${phase} ${i}: ${s.kernel}(${s.inputs.join(', ')})${attrsText(s.attrs as Record<string, PlanAttr>)} -> ${outputs}`;
  };
  const lines = [
    `inputs ${plan.inputs.join(', ')}${plan.labels.length > 0 ? `; labels ${plan.labels.join(', ')}` : ''}`,
    `outputs ${plan.outputs.map((o) => `${o.name}=${o.tensor}`).join(', ')}`,
    ...plan.forward.map((s, i) => step('forward', s, i)),
    ...plan.backward.map((s, i) => step('backward', s, i)),
    ...plan.update.map((s, i) => step('update', s, i)),
  ];
  if (plan.training) lines.push(`loss ${plan.training.loss}`);
  return `${lines.join('\n')}\n`;
}

const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.nnet')).sort();

describe('IR and plan goldens of the examples', () => {
  for (const file of files) {
    const path = join(EXAMPLES, file);
    const text = readFileSync(path, 'utf8');
    const check = checkSource(text, { path });
    const stem = file.replace(/\.nnet$/, '');
    for (const model of check.models) {
      const name = check.models.length > 1 ? `${stem}-${model.name}` : stem;
      it(name, () => {
        expectGolden(renderIr(model.graph), join(GOLDEN, 'ir', `${name}.ir.txt`));
        const training = model.train !== null;
        const { plan, diagnostics } = compileModel(check, model.name, { target: 'cpu', fuse: true, training, text, path });
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expectGolden(renderPlan(plan!), join(GOLDEN, 'plan', `${name}.plan.txt`));
      });
    }
  }
});
