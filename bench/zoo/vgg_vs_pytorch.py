"""PyTorch's side of bench/zoo/vgg-vs-pytorch.mjs: VGG-11-BN written here with torch.nn.functional (not the
exported model.py), from nnet's initial weights (channels-last layouts converted here), the digits padded to
32×32 and repeated as 3 channels, S steps of batch B over the first B·S digits in order at a constant lr:
loss = mean cross-entropy + l2·Σw² over the weights of rank ≥ 2, SGD with momentum 0.9, batchnorm in training
mode (PyTorch momentum 0.1 = nnet's 0.9, ε 1e-5). Prints one JSON line: {"loss": [...]}, and with
--compare NNET_STEP1.safetensors also "step1": the largest |nnet − PyTorch| of a weight after the first step over
the largest change that step made to it, across the weights (the convolutions' biases left out: each feeds a
batchnorm, so its exact gradient is 0 and both sides move it by float noise only).

python3 vgg_vs_pytorch.py WEIGHTS.safetensors DATA_DIR B S LR [f64] [--compare NNET_STEP1.safetensors]
"""
import json, struct, sys
import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
args = [a for a in sys.argv[1:]]
compare = None
if '--compare' in args:
    compare = args[args.index('--compare') + 1]
    del args[args.index('--compare'):args.index('--compare') + 2]
weights_path, data_dir, B, S, lr = args[0], args[1], int(args[2]), int(args[3]), float(args[4])
dtype = torch.float64 if 'f64' in args[5:] else torch.float32


def read_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, v in header.items():
        if name == '__metadata__':
            continue
        start, end = v['data_offsets']
        out[name] = torch.from_numpy(np.frombuffer(raw[8 + n + start:8 + n + end], dtype=np.float32).reshape(v['shape']).copy()).to(dtype)
    return out


w = read_safetensors(weights_path)
params = {k: v.clone().requires_grad_(True) for k, v in w.items() if 'running' not in k}
buffers = {k: v.clone() for k, v in w.items() if 'running' in k}
LAYERS = ['features/conv_bn'] + [f'features/conv_bn_{i}' for i in range(2, 9)]
POOL_AFTER = {0, 1, 3, 5, 7}


def forward(x):
    h = F.pad(x, (2, 2, 2, 2)).unsqueeze(1).repeat(1, 3, 1, 1)
    for i, layer in enumerate(LAYERS):
        h = F.conv2d(h, params[layer + '/conv2d.weight'].permute(0, 3, 1, 2), params[layer + '/conv2d.bias'], padding=1)
        h = F.batch_norm(h, buffers[layer + '/batchnorm.running_mean'], buffers[layer + '/batchnorm.running_var'],
                         params[layer + '/batchnorm.gamma'], params[layer + '/batchnorm.beta'], True, 0.1, 1e-5)
        h = F.relu(h)
        if i in POOL_AFTER:
            h = F.max_pool2d(h, 2)
    return h.flatten(1) @ params['logits.weight'].t() + params['logits.bias']


images = np.load(f'{data_dir}/train/image.npy')
labels = np.load(f'{data_dir}/train/label.npy')
optimizer = torch.optim.SGD(list(params.values()), lr=lr, momentum=0.9)
losses = []
result = {}
for s in range(S):
    x = torch.from_numpy(images[s * B:(s + 1) * B].astype(np.float32)).to(dtype)
    y = torch.from_numpy(labels[s * B:(s + 1) * B].astype(np.int64))
    loss = F.cross_entropy(forward(x), y) + 2.5e-4 * sum((p * p).sum() for p in params.values() if p.dim() >= 2)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if compare and s == 0:
        theirs = read_safetensors(compare)
        ratio = lambda k, v: ((theirs[k] - v.detach()).abs().max() / (v.detach() - w[k]).abs().max()).item()
        result['step1'] = max(ratio(k, v) for k, v in {**params, **buffers}.items() if not k.endswith('conv2d.bias'))
print(json.dumps({'loss': losses, **result}))
