import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exportPytorch, PytorchExportError } from '../compiler/pytorch/index.js';
import type { Plan } from '../runtime/plan/format.js';
import type { HostTensor } from '../runtime/tensor.js';
import { planLayers } from '../runtime/verify/layers.js';
import type { Tracer } from '../runtime/verify/verify.js';
import { writeSafetensors } from '../runtime/weights/safetensors.js';
import { CliError } from './cli-error.js';
import type { LoadedModel } from './model-loading.js';

/**
 * The PyTorch target of `nnet verify`: the model as `nnet export --format pytorch` writes it
 * (model.py), run with nnet's weights in a python3 that has torch, in a subprocess. model.py's forward
 * returns the value of every layer asked for (`values=`), keyed by submodule, and its LAYERS table
 * names each submodule's nnet layer: that layer's value is the plan's tensor of the layer's last step
 * (verify compiles the plan unfused for this target, so a separate activation layer keeps its own
 * steps instead of being folded into the matmul before it).
 *
 * The interpreter: $NNET_PYTHON when set, else the first of python3, /usr/bin/python3 that imports torch
 * (a venv's python3 without torch may shadow Debian's python3-torch). None: NNR7202. The model failing
 * in Python: NNR7203 with Python's last line.
 */
const FORWARD_PY = String.raw`
import importlib.util, json, sys
import torch
model_py, job_json = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location('nnet_verify_model', model_py)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
with open(job_json) as f:
    job = json.load(f)
net = module.MODELS[job['model']].from_safetensors(job['weights']).eval()
args = []
for name in net.INPUTS:
    t = job['inputs'][name]
    args.append(torch.tensor(t['data'], dtype=torch.int64 if t['dtype'] == 'i32' else torch.float32).reshape(t['shape']))
with torch.no_grad():
    values = net(*args, values=list(net.LAYERS))
result = {}
for key, (layer, op, where) in net.LAYERS.items():
    value = values.get(key)
    if isinstance(value, torch.Tensor):
        result[layer] = {'shape': list(value.shape), 'data': value.detach().to(torch.float64).flatten().tolist()}
print(json.dumps(result))
`;

export async function pytorchTracer(loaded: LoadedModel, plan: Plan, weights: ReadonlyMap<string, HostTensor>): Promise<{ trace: Tracer; runtime: string }> {
  const python = await torchPython();
  let exported;
  try {
    // Only model.py is run: the model without its train section, whose train.py verify does not need.
    exported = exportPytorch(loaded.check, { ...loaded.model, train: null }, loaded.text, basename(loaded.path));
  } catch (error) {
    if (error instanceof PytorchExportError) throw new CliError(error.code, error.message, loaded.path);
    throw error;
  }
  const layerTensor = new Map(planLayers(plan).map((l) => [l.layer, l.tensors[l.tensors.length - 1]!]));
  const shapes = new Map(plan.tensors.map((t) => [t.name, t]));
  const trace: Tracer = async (inputs) => {
    const dir = mkdtempSync(join(tmpdir(), 'nnet-verify-torch-'));
    try {
      writeFileSync(join(dir, 'model.py'), exported.files.find((f) => f.path === 'model.py')!.text);
      writeFileSync(join(dir, 'weights.safetensors'), writeSafetensors(weights, {}));
      writeFileSync(join(dir, 'forward.py'), FORWARD_PY);
      const job = {
        model: exported.className,
        weights: join(dir, 'weights.safetensors'),
        inputs: Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, { shape: t.shape, dtype: t.dtype, data: Array.from(t.data) }])),
      };
      writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
      const stdout = await run(python.path, [join(dir, 'forward.py'), join(dir, 'model.py'), join(dir, 'job.json')]);
      const values = parseValues(stdout);
      const read = new Map<string, HostTensor>();
      for (const [layer, value] of Object.entries(values)) {
        const tensor = layerTensor.get(layer);
        if (tensor === undefined) continue;
        const spec = shapes.get(tensor)!;
        read.set(tensor, { shape: value.shape, dtype: spec.dtype, data: spec.dtype === 'i32' ? Int32Array.from(value.data) : Float32Array.from(value.data) });
      }
      return read;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { trace, runtime: `torch ${python.torch}, ${python.path}` };
}

/** The script's last line is the JSON (model.py or torch may print before it). */
function parseValues(stdout: string): Record<string, { shape: number[]; data: number[] }> {
  const last = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Record<string, { shape: number[]; data: number[] }>;
  } catch {
    throw new CliError('NNR7203', `the exported model's forward pass printed no values (last line: ${JSON.stringify(last.slice(0, 200))})`);
  }
}

async function torchPython(): Promise<{ path: string; torch: string }> {
  const chosen = process.env.NNET_PYTHON;
  const candidates = chosen ? [chosen] : ['python3', '/usr/bin/python3'];
  for (const path of candidates) {
    try {
      const version = (await run(path, ['-c', 'import torch; print(torch.__version__)'], 60_000)).trim();
      return { path, torch: version };
    } catch {
      // the next candidate
    }
  }
  throw new CliError('NNR7202', `--against pytorch runs the exported model in python3 with torch, and none of ${candidates.join(', ')} imports torch; on Debian: \`scripts/install-torch.sh\` (python3-torch), or set NNET_PYTHON to an interpreter that has it`);
}

function run(file: string, args: string[], timeout = 300_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'utf8', timeout, maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      if (error) reject(new CliError('NNR7203', `${file} failed running the exported model: ${(stderr.trim().split('\n').pop() ?? error.message) || error.message}`));
      else resolve(stdout);
    });
  });
}
