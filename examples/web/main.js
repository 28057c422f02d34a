// The example page: load a compiled WebGPU plan, run inference, train a few steps, infer again.
// Results go to the page and to `window.nnetResult` (the headless-browser test reads it).
import { createWebGpuExecutor, acquireDevice, f32, i32, loadPlan } from '../../dist/web/nnet-runtime.js';

const status = document.getElementById('status');
const out = document.getElementById('result');

/** Nested lists → a HostTensor of the plan tensor's dtype. */
function tensor(values, dtype) {
  const shape = [];
  for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat = values.flat(Infinity);
  return dtype === 'i32' ? i32(shape, flat) : f32(shape, flat);
}

async function run() {
  const params = new URLSearchParams(location.search);
  const demo = await (await fetch(params.get('demo') ?? './demo.json')).json();
  const { plan, weights } = loadPlan(await (await fetch(demo.plan)).json());
  const dtypes = Object.fromEntries(plan.tensors.map((t) => [t.name, t.dtype]));
  const feeds = {};
  for (const [name, values] of Object.entries({ ...demo.inputs, ...demo.labels })) feeds[name] = tensor(values, dtypes[name]);

  const { device, description } = await acquireDevice();
  const executor = await createWebGpuExecutor(plan, weights, { device });
  const toLists = (outputs) => Object.fromEntries(Object.entries(outputs).map(([k, t]) => [k, Array.from(t.data)]));
  const before = toLists(await executor.infer(feeds));
  const losses = [];
  for (let step = 0; step < (demo.steps ?? 0); step++) {
    const { loss } = await executor.trainStep(feeds, { lr: demo.lr ?? 0.01, seed: step + 1 });
    losses.push(loss);
  }
  const after = toLists(await executor.infer(feeds));
  executor.dispose();
  return { adapter: description, model: plan.model, before, losses, after };
}

run().then(
  (result) => {
    window.nnetResult = result;
    status.textContent = `done on ${result.adapter}`;
    out.textContent = JSON.stringify(result, null, 2);
  },
  (error) => {
    window.nnetResult = { error: String(error.message ?? error) };
    status.textContent = 'failed';
    out.textContent = String(error.message ?? error);
  },
);
