import { describe, expect, it } from 'vitest';
import { compileGan, FROZEN_PREFIX, GAN_TARGET } from '../../../compiler/gan/compile-gan.js';
import { checkSource } from '../../../compiler/index.js';

// The two models deliberately share a layer name (`h`), which the generator's plan must keep apart.
const SOURCE = `
model G {
  input z: [batch, 4]
  h = dense(z, 8, relu)
  x = dense(h, 2)
  output x
}
model D {
  input sample: [batch, 2]
  h = dense(sample, 8, leaky_relu(0.2))
  score = dense(h, 1)
  output score
}
gan Pair {
  generator G
  discriminator D
}`;

describe('compileGan', () => {
  const check = checkSource(SOURCE);
  const result = compileGan(check, 'Pair', { target: 'cpu', fuse: true, text: SOURCE });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const { generator, discriminator } = result;

  it('trains the discriminator on its own input and a target, with the gan optimizer', () => {
    const plan = discriminator.plan!;
    expect(plan.model).toBe('Pair/discriminator');
    expect(plan.inputs).toContain('sample');
    expect(plan.labels).toEqual([GAN_TARGET]);
    expect(plan.training!.config.loss).toMatchObject({ kind: 'binary_cross_entropy', fromLogits: true });
    expect(plan.training!.config.optimizer).toEqual({ kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 });
    const params = plan.tensors.filter((t) => t.role === 'param').map((t) => t.name).sort();
    expect(params).toEqual(['h.bias', 'h.weight', 'score.bias', 'score.weight']);
  });

  it("feeds the generator into the discriminator, whose weights are frozen and renamed", () => {
    const plan = generator.plan!;
    expect(plan.model).toBe('Pair/generator');
    expect(plan.inputs).toEqual(['z']);
    expect(plan.labels).toEqual([GAN_TARGET]);
    expect(plan.outputs.map((o) => o.name)).toEqual(['x', `${FROZEN_PREFIX}score`]);
    const byRole = (role: string) => plan.tensors.filter((t) => t.role === role).map((t) => t.name).sort();
    expect(byRole('param')).toEqual(['h.bias', 'h.weight', 'x.bias', 'x.weight']);
    expect(byRole('state')).toEqual([`${FROZEN_PREFIX}h.bias`, `${FROZEN_PREFIX}h.weight`, `${FROZEN_PREFIX}score.bias`, `${FROZEN_PREFIX}score.weight`]);
    // Only the generator's four weights are updated.
    const updated = new Set(plan.update.flatMap((s) => s.outputs).filter((n) => byRole('param').includes(n)));
    expect([...updated].sort()).toEqual(byRole('param'));
    expect(plan.update.some((s) => s.outputs.some((n) => n.startsWith(FROZEN_PREFIX)))).toBe(false);
  });

  it('refuses a gan whose generator has errors, and an unknown gan', () => {
    const broken = checkSource(SOURCE.replace('x = dense(h, 2)', 'x = dense(h, 2)\n  y = dense(hh, 2)'));
    expect(broken.gans).toHaveLength(1);
    expect(compileGan(broken, 'Pair', { target: 'cpu', fuse: true })).toMatchObject({ ok: false, diagnostics: [{ code: 'NN5002' }] });
    expect(compileGan(check, 'Nope', { target: 'cpu', fuse: true })).toMatchObject({ ok: false, diagnostics: [{ code: 'NN5001' }] });
  });
});
