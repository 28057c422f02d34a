import { describe, expect, it } from 'vitest';
import { normalAt, pcg, randomKey, uniformAt } from '../../../runtime/plan/counter-random.js';
import { trainable } from '../train/helpers.js';

/** The PCG hash against values computed by hand from its definition in 32-bit arithmetic (uint32 wrap). */
describe('the counter-based generator', () => {
  it('is the PCG hash', () => {
    const reference = (v: bigint): bigint => {
      const m = 0xffffffffn;
      const state = (v * 747796405n + 2891336453n) & m;
      const word = (((state >> ((state >> 28n) + 4n)) ^ state) * 277803737n) & m;
      return ((word >> 22n) ^ word) & m;
    };
    for (const v of [0, 1, 7, 123456789, 0xffffffff]) expect(pcg(v)).toBe(Number(reference(BigInt(v))));
  });

  it('gives uniforms in [0, 1) and standard normals with the right moments (20,000 draws, 4σ bounds)', () => {
    const key = randomKey(3, 17);
    const n = 20000;
    let us = 0;
    let zs = 0;
    let zz = 0;
    for (let i = 0; i < n; i++) {
      const u = uniformAt(i, key);
      expect(u >= 0 && u < 1).toBe(true);
      us += u;
      const z = normalAt(i, key);
      zs += z;
      zz += z * z;
    }
    expect(Math.abs(us / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(zs / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(zz / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});

const VAE = `
model Vae {
  input x: [batch, 4]
  h = dense(x, 6, tanh)
  mu = dense(h, 2)
  logvar = dense(h, 2)
  noise = random_normal(mu)
  z = mu + exp(0.5 * logvar) * noise
  kl = mean(-0.5 * sum(1 + logvar - mu * mu - exp(logvar), axis: 1))
  recon = dense(z, 4)
  output recon
  output noise
  output z
  train {
    loss mse(recon, x) + 0.5 * kl
    optimizer gd(lr: 0.1)
    seed 4
  }
}
`;

const x = { shape: [3, 4], dtype: 'f32' as const, data: Float32Array.from({ length: 12 }, (_, i) => Math.cos(i * 1.7)) };

describe('random_normal in a VAE', () => {
  it('draws fresh noise at every step, the same for the same step seed, the mean (0) in inference', async () => {
    const { plan, executor } = trainable(VAE);
    const noiseOf = async (seed: number) => Array.from((await executor.trainStep({ x }, { lr: 0, seed, outputs: ['noise'] })).outputs.noise!.data);
    const a = await noiseOf(5);
    expect(await noiseOf(5)).toEqual(a);
    expect(await noiseOf(6)).not.toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    const inferred = await executor.infer({ x });
    expect(Array.from(inferred.noise!.data)).toEqual(Array(6).fill(0));
    expect(Array.from(inferred.z!.data)).toEqual(Array.from((await executor.infer({ x })).z!.data));
    expect(plan.forward.some((s) => s.kernel === 'random')).toBe(true);
  });

  it('gradients flow through mu and logvar past the sample: finite differences with the step seed fixed', async () => {
    const { executor } = trainable(VAE);
    const cpu = executor as unknown as { gradientNames(): Map<string, string>; readTensor(name: string): { data: Float32Array } | null };
    const lossAt = async () => (await executor.trainStep({ x }, { lr: 0, seed: 9 })).loss;
    await lossAt();
    const weights = await executor.getWeights();
    let checked = 0;
    for (const [name, gradName] of cpu.gradientNames()) {
      if (!/^(mu|logvar)\./.test(name)) continue;
      await lossAt();
      const analytic = Float32Array.from(cpu.readTensor(gradName)!.data);
      const w = weights.get(name)!;
      for (const index of [0, Math.floor(w.data.length / 2), w.data.length - 1]) {
        const original = w.data[index]!;
        const at = async (v: number) => {
          w.data[index] = v;
          await executor.setWeights(new Map([[name, w]]));
          return lossAt();
        };
        const numeric = ((await at(original + 1e-2)) - (await at(original - 1e-2))) / 2e-2;
        await at(original);
        expect(Math.abs(numeric - analytic[index]!), `${name}[${index}]`).toBeLessThanOrEqual(2e-3 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBe(12);
  });
});
