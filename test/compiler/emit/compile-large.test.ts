import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { initialValues, hashSeed } from '../../../compiler/emit/init-weights.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import { checkSource } from '../../../compiler/index.js';
// The generated model that bench/parse-check.mjs and bench/cpu time.
import { generateModel } from '../../../bench/generated-model.mjs';

/**
 * The 1,000-layer model compiles for training to the same plan as before the compile-time work
 * (issue 9: index maps instead of scans): the operation counts are pinned, and the loss steps that
 * lead the backward pass are exactly the steps writing a loss tensor. Wall time is the bench's job.
 */
describe('compiling a 1,000-layer model for training', () => {
  const { text } = generateModel(1000);
  const check = checkSource(text);

  it('emits the same steps, tensors and weights', () => {
    const { plan, weights, diagnostics } = compileModel(check, 'Big', { target: 'cpu', fuse: true, training: true, text });
    expect(diagnostics).toEqual([]);
    expect([plan!.forward.length, plan!.backward.length, plan!.update.length, plan!.training!.lossSteps]).toEqual([876, 2996, 1250, 249]);
    expect(plan!.tensors.length).toBe(7750);
    // The 1,250 parameters; Adam's 2,500 slots start at zero, so the executors create them (compile.ts).
    expect(weights.size).toBe(1250);
    const missing = plan!.tensors.filter((t) => ['param', 'state', 'const', 'optimizer'].includes(t.role) && !weights.has(t.name));
    expect(missing.length).toBe(2500);
    expect(missing.every((t) => t.role === 'optimizer')).toBe(true);
    const roles = new Map(plan!.tensors.map((t) => [t.name, t.role]));
    const lossSteps = plan!.backward.slice(0, plan!.training!.lossSteps);
    // Every loss step writes a tensor of the loss subgraph; the scalar loss is written by one of them.
    expect(lossSteps.some((s) => s.outputs.includes(plan!.training!.loss))).toBe(true);
    for (const step of plan!.backward.slice(plan!.training!.lossSteps)) expect(step.outputs).not.toContain(plan!.training!.loss);
    expect(roles.get(plan!.training!.loss)).toBe('loss');
  });
});

describe('uniform initialisers', () => {
  it('draw the values of the mulberry32 stream, (u·2 − 1)·limit', () => {
    const shape = [7, 5];
    const values = initialValues({ kind: 'glorot_uniform' }, shape, 3, 'layer.weight');
    const next = mulberry32(hashSeed(3, 'layer.weight'));
    const limit = Math.sqrt(6 / (5 + 7));
    expect(Array.from(values)).toEqual(Array.from(Float32Array.from({ length: 35 }, () => (next() * 2 - 1) * limit)));
  });
});

/**
 * Array elements the compile hands to the array methods that walk or search (find, some, includes,
 * map, filter...) plus those its for-of loops and spreads walk: a count of work that does not
 * depend on the machine. A scan per node or per parameter (issue 9: `isLoss` over the backward
 * steps, `graph.nodes.find` per parameter) makes it grow as the square of the model.
 */
function elementsWalked(run: () => void): number {
  const proto = Array.prototype as unknown as Record<string | symbol, (this: unknown[], ...args: unknown[]) => unknown>;
  const methods: Array<string | symbol> = ['find', 'findIndex', 'some', 'every', 'filter', 'map', 'flatMap', 'forEach', 'reduce', 'includes', 'indexOf', 'slice', Symbol.iterator];
  const originals = methods.map((name) => proto[name]!);
  let walked = 0;
  methods.forEach((name, i) => {
    const original = originals[i]!;
    proto[name] = function (this: unknown[], ...args: unknown[]): unknown {
      walked += this.length;
      return original.apply(this, args);
    };
  });
  try {
    run();
  } finally {
    methods.forEach((name, i) => (proto[name] = originals[i]!));
  }
  return walked;
}

describe('compile work', () => {
  /** Elements walked per layer, compiling the generated model of `layers` layers for training and for inference. */
  const perLayer = (layers: number): number => {
    const { text, layers: count } = generateModel(layers);
    const check = checkSource(text);
    const plans: unknown[] = [];
    const walked = elementsWalked(() => {
      for (const training of [true, false]) plans.push(compileModel(check, 'Big', { target: 'cpu', fuse: true, training, text }).plan);
    });
    expect(plans.every((plan) => plan !== null)).toBe(true);
    return walked / count;
  };

  it('grows linearly with the model: the same per layer at 100 and 400 layers', () => {
    const small = perLayer(100);
    const large = perLayer(400);
    // Linear work gives equal figures (a fixed part makes the large one a little smaller); a scan
    // per node over the nodes makes the large one about four times the small one.
    expect(large / small).toBeLessThan(1.2);
  });
});
