"""Forward passes of exported model.py files on random weights, for forward.test.ts.

  python3 forward_check.py JOBS.json   JOBS: [{"dir": D, "model": M, "inputs": {name: nested list}}]

For each job: writes D/random-M.safetensors (every weight random, biases and batchnorm statistics
too, so a layout mistake cannot hide behind zeros or ones) and the model's outputs on the inputs;
prints [{output name: nested list}] as JSON, to compare with `nnet run --weights D/random-M.safetensors`.
"""
import importlib
import json
import sys

import torch

results = []
with open(sys.argv[1]) as f:
    jobs = json.load(f)
for job in jobs:
    sys.path.insert(0, job['dir'])
    sys.modules.pop('model', None)
    exported = importlib.import_module('model')
    sys.path.pop(0)
    torch.manual_seed(0)
    net = exported.MODELS[job['model']]()
    with torch.no_grad():
        for name, value in net.state_dict().items():
            if name.endswith('running_var'):
                value.copy_(torch.rand(value.shape) + 0.5)
            elif value.dim() >= 2:
                value.copy_(torch.randn(value.shape) / (value[0].numel() ** 0.5))
            else:
                value.copy_(torch.randn(value.shape) * 0.3)
    path = f"{job['dir']}/random-{job['model']}.safetensors"
    exported.save_nnet_weights(net, path)
    net = exported.MODELS[job['model']].from_safetensors(path).eval()
    # Int inputs (token ids) are written as whole numbers, float ones never are.
    args = [torch.tensor(job['inputs'][name]) for name in net.INPUTS]
    args = [a.to(torch.float32) if a.is_floating_point() else a for a in args]
    with torch.no_grad():
        outputs = net(*args)
    results.append({name: value.tolist() for name, value in outputs.items()})
print(json.dumps(results))
