// The example page: load a compiled WebGPU plan, run inference, train a few steps, infer again.
// Results go to the page as tables and to `window.nnetResult` (the headless-browser test reads it).
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

/** A JSON file, or an error that says which file is missing and how to make it. */
async function fetchJson(url, hint) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url} (HTTP ${response.status})${hint ? `: ${hint}` : ''}`);
  return await response.json();
}

async function run() {
  const params = new URLSearchParams(location.search);
  const demoUrl = params.get('demo') ?? './demo.json';
  const demo = await fetchJson(demoUrl);
  const planUrl = new URL(demo.plan, new URL(demoUrl, location.href)).href;
  const hint = 'compile it first: npx nnet compile examples/xor.nnet --target webgpu --embed-weights -o examples/web/xor.plan.json';
  const { plan, weights } = loadPlan(await fetchJson(planUrl, hint));
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
  return { adapter: description, model: plan.model, inputs: demo.inputs, labels: demo.labels ?? {}, before, losses, after };
}

/** One row per sample: its inputs and labels, then every output before and after training. */
function resultTable(result) {
  const columns = [
    ...Object.entries(result.inputs).map(([name, rows]) => ({ head: name, cell: (i) => rows[i] })),
    ...Object.entries(result.labels).map(([name, rows]) => ({ head: name, cell: (i) => rows[i] })),
    ...Object.entries(result.before).map(([name, values]) => ({ head: `${name} before`, cell: (i) => perSample(values, result, i) })),
    ...Object.entries(result.after).map(([name, values]) => ({ head: `${name} after`, cell: (i) => perSample(values, result, i) })),
  ];
  const samples = Object.values(result.inputs)[0]?.length ?? 0;
  const table = document.createElement('table');
  table.createTHead().insertRow().append(...columns.map((c) => cell('th', c.head)));
  const body = table.createTBody();
  for (let i = 0; i < samples; i++) body.insertRow().append(...columns.map((c) => cell('td', show(c.cell(i)))));
  return table;
}

/** The values of sample `i` of an output stored flat. */
function perSample(values, result, i) {
  const samples = Object.values(result.inputs)[0]?.length ?? 1;
  const width = values.length / samples;
  return values.slice(i * width, (i + 1) * width);
}

function show(value) {
  const list = Array.isArray(value) ? value.flat(Infinity) : [value];
  return list.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(4))).join(', ');
}

function cell(tag, text) {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}

run().then(
  (result) => {
    window.nnetResult = result;
    status.textContent = `${result.model} on ${result.adapter}`;
    const losses = document.createElement('p');
    const first = result.losses[0];
    const last = result.losses[result.losses.length - 1];
    losses.textContent = result.losses.length > 0
      ? `${result.losses.length} training steps: loss ${first.toFixed(4)} → ${last.toFixed(4)}`
      : 'no training steps';
    out.replaceChildren(resultTable(result), losses);
  },
  (error) => {
    window.nnetResult = { error: String(error.message ?? error) };
    status.textContent = 'failed';
    out.textContent = String(error.message ?? error);
  },
);
