/**
 * train.py's library: nnet's data readers and splits, losses, optimizer formulas, schedules,
 * augmentations, metrics, early stopping and the loop, for one process or many (DistributedDataParallel
 * under torchrun, or the built-in --procs launcher: torch.multiprocessing.spawn on 127.0.0.1).
 * Python source, written into the exported directory as it is (python/ holds no template).
 */
export const TRAIN_LOOP_PY = String.raw`# ---- nnet's training loop, for one process or many (DistributedDataParallel) ----
import argparse
import copy
import csv
import datetime
import json
import math
import os
import socket
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


# -- nnet's seeded random source (runtime/plan/random.ts, runtime/data/random.ts): the same splits as nnet --
def mulberry32(seed):
    state = [seed & 0xFFFFFFFF]

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def uniform():
        state[0] = (state[0] + 0x6D2B79F5) & 0xFFFFFFFF
        t = state[0]
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return uniform


def permutation(n, seed):
    """nnet's permutation(n, seed): Fisher-Yates with mulberry32(seed ^ 0x9e3779b9)."""
    uniform = mulberry32((seed & 0xFFFFFFFF) ^ 0x9E3779B9)
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = math.floor(uniform() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return np.array(order, dtype=np.int64)


def mix_seed(*values):
    h = 0x811C9DC5
    for v in values:
        h ^= v & 0xFFFFFFFF
        h = (h * 0x01000193) & 0xFFFFFFFF
        h ^= h >> 15
    return h


# -- data: the reader formats nnet knows (runtime/data): NPY, IDX, CSV, JSON, and 'nnet data export' folders --
class Dataset:
    def __init__(self, fields, label_field=None):
        self.fields = dict(fields)
        self.label_field = label_field
        lengths = {name: len(a) for name, a in self.fields.items()}
        if len(set(lengths.values())) != 1:
            raise DataError(f'the fields hold different numbers of samples: {lengths}')
        self.length = next(iter(lengths.values()))

    def take(self, rows):
        return Dataset({name: a[rows] for name, a in self.fields.items()}, self.label_field)


class DataError(Exception):
    pass


def split(dataset, fraction, seed):
    """nnet's split: the last 'fraction' of a seeded permutation is held out."""
    order = permutation(dataset.length, seed)
    held = int(math.floor(dataset.length * fraction + 0.5))
    keep = dataset.length - held
    return dataset.take(order[:keep]), dataset.take(order[keep:])


def read_idx(path):
    types = {0x08: '>u1', 0x09: '>i1', 0x0B: '>i2', 0x0C: '>i4', 0x0D: '>f4', 0x0E: '>f8'}
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in types:
        raise DataError(f'{path}: not an IDX file')
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    array = np.frombuffer(data, dtype=types[data[2]], count=int(np.prod(shape)), offset=4 + 4 * rank).reshape(shape)
    return array.astype(np.float32 if data[2] >= 0x0D else np.int32)


def read_array(path):
    if path.lower().endswith('.npy'):
        array = np.load(path, allow_pickle=False)
        return array.astype(np.int32) if array.dtype.kind in 'iub' else array.astype(np.float32)
    return read_idx(path)


def read_csv(path, label=None):
    with open(path, newline='') as f:
        rows = [[cell.strip() for cell in row] for row in csv.reader(f) if any(cell.strip() for cell in row)]
    if not rows:
        raise DataError(f'{path}: the CSV file is empty (a header row is needed)')
    header, body = rows[0], rows[1:]
    if label is not None and label not in header:
        raise DataError(f"{path}: label column '{label}' not found; the header has {', '.join(header)}")
    index = header.index(label) if label is not None else (header.index('label') if 'label' in header else len(header) - 1)
    features = np.array([[float(c) for i, c in enumerate(row) if i != index] for row in body], dtype=np.float32).reshape(len(body), len(header) - 1)
    raw = [row[index] for row in body]
    try:
        numbers = [float(c) for c in raw]
        labels = np.array(numbers, dtype=np.int32 if all(v.is_integer() for v in numbers) else np.float32)
    except ValueError:
        classes = sorted(set(raw))
        labels = np.array([classes.index(c) for c in raw], dtype=np.int32)
    return Dataset({'features': features, header[index]: labels}, header[index])


def _json_field(samples):
    array = np.array(samples, dtype=np.float64)
    return array.astype(np.int32) if np.all(np.mod(array, 1) == 0) else array.astype(np.float32)


def read_json(path):
    with open(path) as f:
        value = json.load(f)
    if isinstance(value, list):
        columns = {key: [record[key] for record in value] for key in value[0]}
    else:
        columns = value
    fields = {name: _json_field(samples) for name, samples in columns.items()}
    label = 'labels' if 'labels' in fields else ('label' if 'label' in fields else None)
    return Dataset(fields, label)


def read_folder(path, part):
    """A folder written by 'nnet data export NAME DIR': fields.json and <part>/<field>.npy."""
    with open(os.path.join(path, 'fields.json')) as f:
        meta = json.load(f)
    folder = os.path.join(path, part)
    if not os.path.isdir(folder):
        return None
    return Dataset({name: read_array(os.path.join(folder, name + '.npy')) for name in meta['fields']}, meta.get('label'))


def read_file(path, options, base):
    lower = path.lower()
    if lower.endswith('.csv'):
        dataset = read_csv(path, options.get('label'))
    elif lower.endswith('.json'):
        dataset = read_json(path)
    elif lower.endswith('.npy') or lower.endswith('.idx') or lower.endswith('-ubyte'):
        fields = {'features': read_array(path)}
        if isinstance(options.get('labels'), str):
            fields['label'] = read_array(resolve(options['labels'], base))
        dataset = Dataset(fields, 'label' if 'label' in fields else None)
    else:
        raise DataError(f"{path}: unknown data file type (use .csv, .json, .npy or .idx)")
    scale = options.get('scale')
    if isinstance(scale, (int, float)) and not isinstance(scale, bool):
        for name in list(dataset.fields):
            if name != dataset.label_field:
                dataset.fields[name] = dataset.fields[name].astype(np.float32) / scale
    return dataset


def resolve(path, base):
    return path if os.path.isabs(path) else os.path.join(base, path)


def load_data(source, options, base, seed):
    """(train, test or None), as nnet's loadData: a folder, or a file with 'test'/'test_file' options.
    The 'test' fraction is held out with the run's seed unless the data options name their own
    ('nnet train' passes {seed: the train seed, **options}, cli/commands/train.ts)."""
    path = resolve(source, base)
    if os.path.isdir(path):
        train = read_folder(path, 'train')
        if train is None:
            raise DataError(f'{path} holds no train/ folder (write one with "nnet data export NAME {path}")')
        return train, read_folder(path, 'test')
    if not os.path.exists(path):
        hint = f' (write it with "nnet data export {os.path.basename(path)} {path}")' if not os.path.splitext(path)[1] else ''
        raise DataError(f'no data at {path}{hint}')
    train = read_file(path, options, base)
    if isinstance(options.get('test_file'), str):
        return train, read_file(resolve(options['test_file'], base), options, base)
    test = options.get('test')
    if isinstance(test, (int, float)) and test > 0:
        return split(train, test, int(options.get('seed', seed)))
    return train, None


def bind(config, dataset, need_labels=True):
    """nnet's bindDataset: a field named like an input feeds it; the label field feeds the first free
    label; the remaining fields feed the remaining inputs in order."""
    inputs = [i for i in config['inputs'] if not i['label']]
    labels = [i for i in config['inputs'] if i['label']]
    targets = inputs + (labels if need_labels else [])
    binding, used, bound = {}, set(), set()
    for t in targets:
        if t['name'] in dataset.fields:
            binding[t['name']] = t['name']
            used.add(t['name'])
            bound.add(t['name'])
    free_label = next((t for t in labels if t['name'] not in bound), None) if need_labels else None
    if free_label and dataset.label_field and dataset.label_field not in used:
        binding[free_label['name']] = dataset.label_field
        used.add(dataset.label_field)
        bound.add(free_label['name'])
    free = [f for f in dataset.fields if f not in used and f != dataset.label_field]
    for t in inputs:
        if t['name'] not in bound and free:
            binding[t['name']] = free.pop(0)
            bound.add(t['name'])
    missing = [t['name'] for t in targets if t['name'] not in bound]
    if missing:
        raise DataError(f"the data has no field for {', '.join(missing)} (fields: {', '.join(dataset.fields)})")
    tensors = {}
    for t in targets:
        array = dataset.fields[binding[t['name']]]
        shape = [d if isinstance(d, int) else None for d in t['shape'][1:]]
        if None in shape:
            shape = [d if d is not None else array.shape[1 + i] for i, d in enumerate(shape)]
        if int(np.prod(shape)) != int(np.prod(array.shape[1:])):
            raise DataError(f"field '{binding[t['name']]}' has samples of shape {list(array.shape[1:])}, but input '{t['name']}' needs {shape}")
        dtype = torch.int64 if t['dtype'] == 'i32' else torch.float32
        tensors[t['name']] = torch.from_numpy(np.ascontiguousarray(array)).reshape(len(array), *shape).to(dtype)
    return tensors


# -- losses, as nnet's loss kernels (runtime/cpu/kernels/losses.ts) --
EPS = 1e-7


def data_loss(loss, pred, target, mask=None):
    kind = loss['kind']
    if mask is not None:
        return masked_mean(item_losses(loss, pred, target), mask)
    if kind in ('cross_entropy', 'binary_cross_entropy') and ('smoothing' in loss or 'classWeights' in loss):
        return label_loss(loss, pred, target)
    if kind == 'cross_entropy' and loss['sparse']:
        classes = pred.shape[-1]
        rows, labels = pred.reshape(-1, classes), target.reshape(-1).long()
        if loss['fromLogits']:
            return F.cross_entropy(rows, labels)
        return -torch.log(rows.gather(1, labels[:, None]).clamp(EPS, 1)).mean()
    target = target.reshape(pred.shape).to(pred.dtype)
    rows = pred.numel() // pred.shape[-1] if pred.dim() > 1 else pred.numel()
    if kind == 'mse':
        return ((pred - target) ** 2).mean()
    if kind == 'mae':
        return (pred - target).abs().mean()
    if kind == 'huber':
        return F.huber_loss(pred, target, delta=loss['delta'])
    if kind == 'binary_cross_entropy':
        if loss['fromLogits']:
            return F.binary_cross_entropy_with_logits(pred, target)
        p = pred.clamp(EPS, 1 - EPS)
        return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()
    if kind == 'cross_entropy':
        if loss['fromLogits']:
            return -(target * F.log_softmax(pred, dim=-1)).sum() / rows
        return -(target * torch.log(pred.clamp(EPS, 1))).sum() / rows
    if kind == 'kl_divergence':
        t = target.clamp(EPS, 1)
        return (t * torch.log(t / pred.clamp(EPS, 1))).sum() / rows
    raise ValueError(f"unknown loss '{kind}'")


def label_loss(loss, pred, target):
    """The cross-entropies with label smoothing ε and class weights, nnet's formulas (runtime/plan/kernels.ts):
    targets t' = t(1 − ε) + ε/K (ε/2 for binary), each row's loss times w, then the mean over rows, with
    w = classWeights[label], Σ t·classWeights of a one-hot or soft row, or w1·t + w0·(1 − t) per binary
    output (t unsmoothed): Keras's class_weight. (F.cross_entropy(weight=) divides by Σ w instead, and
    weights its smoothing term per class, so it is not used.)"""
    eps = loss.get('smoothing', 0)
    weights = loss.get('classWeights')
    if loss['kind'] == 'binary_cross_entropy':
        t = target.reshape(pred.shape).to(pred.dtype)
        smoothed = t * (1 - eps) + eps / 2
        w = 1.0 if weights is None else weights[1] * t + weights[0] * (1 - t)
        if loss['fromLogits']:
            per = F.binary_cross_entropy_with_logits(pred, smoothed, reduction='none')
        else:
            p = pred.clamp(EPS, 1 - EPS)
            per = -(smoothed * torch.log(p) + (1 - smoothed) * torch.log(1 - p))
        return (w * per).mean()
    classes = pred.shape[-1]
    rows = pred.reshape(-1, classes)
    if loss['sparse']:
        labels = target.reshape(-1).long()
        t = F.one_hot(labels, classes).to(rows.dtype)
    else:
        t = target.reshape(rows.shape).to(rows.dtype)
    logp = F.log_softmax(rows, dim=-1) if loss['fromLogits'] else torch.log(rows.clamp(EPS, 1))
    per_row = -((t * (1 - eps) + eps / classes) * logp).sum(-1)
    if weights is not None:
        per_row = per_row * (t @ torch.tensor(weights, dtype=rows.dtype, device=rows.device))
    return per_row.mean()


def item_losses(loss, pred, target):
    """Each element's loss (mse, mae, huber, binary cross-entropy: pred's shape) or each row's (the
    cross-entropies and KL: pred's shape without its last axis), nnet's formulas, label smoothing and
    class weights included, before the mean that a mask restricts."""
    kind = loss['kind']
    eps = loss.get('smoothing', 0)
    weights = loss.get('classWeights')
    if kind == 'cross_entropy':
        classes = pred.shape[-1]
        if loss['sparse']:
            # Padding rows may carry any label (−1 included): read the kept rows' labels only, by clamping.
            t = F.one_hot(target.long().clamp(0, classes - 1), classes).to(pred.dtype)
        else:
            t = target.reshape(pred.shape).to(pred.dtype)
        logp = F.log_softmax(pred, dim=-1) if loss['fromLogits'] else torch.log(pred.clamp(EPS, 1))
        per_row = -((t * (1 - eps) + eps / classes) * logp).sum(-1)
        if weights is not None:
            per_row = per_row * (t @ torch.tensor(weights, dtype=pred.dtype, device=pred.device))
        return per_row
    target = target.reshape(pred.shape).to(pred.dtype)
    if kind == 'kl_divergence':
        t = target.clamp(EPS, 1)
        return (t * torch.log(t / pred.clamp(EPS, 1))).sum(-1)
    if kind == 'mse':
        return (pred - target) ** 2
    if kind == 'mae':
        return (pred - target).abs()
    if kind == 'huber':
        return F.huber_loss(pred, target, delta=loss['delta'], reduction='none')
    if kind == 'binary_cross_entropy':
        smoothed = target * (1 - eps) + eps / 2
        w = 1.0 if weights is None else weights[1] * target + weights[0] * (1 - target)
        if loss['fromLogits']:
            return w * F.binary_cross_entropy_with_logits(pred, smoothed, reduction='none')
        p = pred.clamp(EPS, 1 - EPS)
        return -w * (smoothed * torch.log(p) + (1 - smoothed) * torch.log(1 - p))
    raise ValueError(f"unknown loss '{kind}'")


def kept(mask, like):
    """A mask (nonzero = counted) as 0/1 weights broadcast over \`like\`, whose leading axes it covers."""
    m = (mask != 0).to(like.dtype)
    return m.reshape(*m.shape, *([1] * (like.dim() - m.dim()))).expand_as(like)


def masked_mean(per, mask):
    """The mean of the items whose mask is nonzero (nnet's masked_ loss kernels; 0 when none is left)."""
    m = kept(mask, per)
    return (per * m).sum() / m.sum().clamp(min=1)


def penalty(model, regularize):
    """l1·Σ|w| + l2·Σw² per parameter: the train section's regularize (weights, not biases) plus per-layer terms."""
    total = 0.0
    params = dict(model.named_parameters())
    for name, (l1, l2) in regularize.items():
        w = params[name]
        if l1:
            total = total + l1 * w.abs().sum()
        if l2:
            total = total + l2 * (w * w).sum()
    return total


# -- optimizers, nnet's update formulas (runtime/cpu/kernels/optimizers.ts) --
def slot(state, name, make):
    """An optimizer slot, made on first use."""
    if name not in state:
        state[name] = make()
    return state[name]


class NnetOptimizer(torch.optim.Optimizer):
    def __init__(self, params, spec):
        super().__init__(params, {'lr': spec['lr']})
        self.spec = spec
        self.steps = 0

    @torch.no_grad()
    def step(self, closure=None):
        s = self.spec
        kind = s['kind']
        self.steps += 1
        t = self.steps
        for group in self.param_groups:
            lr = group['lr']
            for p in group['params']:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if kind == 'gd':
                    p.sub_(lr * g)
                elif kind == 'sgd':
                    v = slot(state, 'velocity', lambda: torch.zeros_like(p))
                    v.mul_(s['momentum']).sub_(lr * g)
                    p.add_(s['momentum'] * v - lr * g if s['nesterov'] else v)
                elif kind in ('adam', 'adamw'):
                    m = slot(state, 'm', lambda: torch.zeros_like(p))
                    v = slot(state, 'v', lambda: torch.zeros_like(p))
                    b1, b2 = s['beta1'], s['beta2']
                    m.mul_(b1).add_((1 - b1) * g)
                    v.mul_(b2).add_((1 - b2) * g * g)
                    if kind == 'adamw' and s['weightDecay']:
                        p.sub_(lr * s['weightDecay'] * p)
                    p.sub_(lr * (m / (1 - b1 ** t)) / (torch.sqrt(v / (1 - b2 ** t)) + s['epsilon']))
                elif kind == 'adagrad':
                    a = slot(state, 'accum', lambda: torch.full_like(p, s['initialAccumulator']))
                    a.add_(g * g)
                    p.sub_(lr * g / (torch.sqrt(a) + s['epsilon']))
                elif kind == 'rmsprop':
                    ms = slot(state, 'ms', lambda: torch.zeros_like(p))
                    mom = slot(state, 'mom', lambda: torch.zeros_like(p))
                    ms.mul_(s['rho']).add_((1 - s['rho']) * g * g)
                    mom.mul_(s['momentum']).add_(lr * g / (torch.sqrt(ms) + s['epsilon']))
                    p.sub_(mom)
                else:
                    raise ValueError(f"unknown optimizer '{kind}'")


def learning_rate(base, schedule, epoch, epochs):
    """nnet's schedules (runtime/train/schedule.ts) at a (fractional) epoch."""
    if not schedule:
        return base
    if schedule['kind'] == 'step':
        return base * schedule['gamma'] ** math.floor(epoch / max(1, schedule['every']))
    if schedule['kind'] == 'exponential':
        return base * schedule['gamma'] ** epoch
    if schedule['kind'] == 'cosine':
        span = schedule['epochs'] or epochs
        t = min(epoch, span) / max(1, span)
        return schedule['minLr'] + (base - schedule['minLr']) * (1 + math.cos(math.pi * t)) / 2
    raise ValueError(f"unknown schedule '{schedule['kind']}'")


def one_cycle(max_lr, s, t, total):
    """PyTorch's OneCycleLR (cos, two phases) at step t of total, as nnet computes it."""
    initial = max_lr / s['div']
    final = initial / s['finalDiv']
    anneal = lambda start, end, pct: end + (start - end) / 2 * (1 + math.cos(math.pi * min(1, max(0, pct))))
    peak = s['pctStart'] * total - 1
    if t <= peak:
        return anneal(initial, max_lr, t / peak if peak > 0 else 1)
    return anneal(max_lr, final, (t - peak) / max(total - 1 - peak, 1e-12))


def step_learning_rate(base, schedule, warmup, step, steps_per_epoch, epochs):
    """nnet's stepLearningRate: the schedule per epoch, per step or one_cycle, times the linear warmup."""
    if schedule and schedule['kind'] == 'one_cycle':
        lr = one_cycle(base, schedule, step, steps_per_epoch * epochs)
    else:
        per_step = schedule is not None and schedule.get('per') == 'step'
        epoch = step / steps_per_epoch if per_step else step // steps_per_epoch
        lr = learning_rate(base, schedule, epoch, epochs)
    return lr * min(1, (step + 1) / warmup) if warmup > 0 else lr


def clip_gradients(params, clip):
    """By value (each element to [-value, value]), then by global norm: every gradient times
    min(1, norm / ||g||), as nnet's update steps."""
    grads = [p.grad for p in params if p.grad is not None]
    if clip.get('value') is not None:
        for g in grads:
            g.clamp_(-clip['value'], clip['value'])
    if clip.get('norm') is not None and grads:
        total = torch.sqrt(sum((g.double() ** 2).sum() for g in grads))
        factor = min(1.0, max(0.0, clip['norm'] / float(total))) if float(total) > 0 else 1.0
        for g in grads:
            g.mul_(factor)


# -- augmentation (runtime/train/augment.ts): images [n, h, w] or [n, h, w, c] --
def augment(x, specs, generator):
    for spec in specs:
        if spec['kind'] == 'noise':
            x = x + spec['std'] * torch.randn(x.shape, generator=generator).to(x.device)
            continue
        if x.dim() not in (3, 4):
            raise ValueError(f"{spec['kind']} augmentation needs image inputs [n, height, width(, channels)], got {list(x.shape)}")
        images = x if x.dim() == 4 else x[..., None]
        if spec['kind'] == 'shift':
            p = spec['pixels']
            h, w = images.shape[1], images.shape[2]
            padded = F.pad(images, (0, 0, p, p, p, p))
            offsets = torch.randint(-p, p + 1, (len(images), 2), generator=generator).tolist()
            images = torch.stack([padded[i, p - dy:p - dy + h, p - dx:p - dx + w] for i, (dy, dx) in enumerate(offsets)])
        else:
            flip = (torch.rand(len(images), generator=generator) < 0.5).to(x.device)
            images = torch.where(flip[:, None, None, None], images.flip(2), images)
        x = images if x.dim() == 4 else images[..., 0]
    return x


# -- the loop --
class Run:
    """One process's view: rank, world size, device, and the model (DDP-wrapped when world > 1)."""

    def __init__(self, rank, world, device):
        self.rank, self.world, self.device = rank, world, device

    def all_sum(self, values):
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.world > 1:
            dist.all_reduce(t)
        return t.tolist()

    def log(self, text):
        if self.rank == 0:
            print(text, flush=True)


def shard(n, rank, world):
    """This rank's rows of a global batch of n: contiguous, sizes differing by at most one."""
    base, extra = divmod(n, world)
    start = rank * base + min(rank, extra)
    return start, start + base + (1 if rank < extra else 0)


def fetch(ref, batch, values):
    """A graph value the train section names: a model input (the batch) or a layer's value."""
    return batch[ref['input']] if 'input' in ref else values[ref['value']]


def value_keys(config):
    refs = [r for t in config['losses'] for r in (t.get('pred'), t.get('target'), t.get('value'), t.get('mask')) if r] + [r for m in config['metrics'] for r in (m['pred'], m['target'], m.get('mask')) if r]
    return tuple(sorted({r['value'] for r in refs if 'value' in r}))


def forward_values(model, config, batch):
    args = [batch[i['name']] for i in config['inputs'] if not i['label']]
    return model(*args, values=value_keys(config))


def loss_terms(config, batch, values):
    """Each term of the train section's loss expression, weighted, with a masked loss's count of kept
    rows or elements in this batch (None for the others)."""
    terms = []
    for term in config['losses']:
        if term['kind'] == 'value':
            terms.append((term['weight'] * fetch(term['value'], batch, values).sum(), None))
            continue
        pred = fetch(term['pred'], batch, values)
        mask = fetch(term['mask'], batch, values) if 'mask' in term else None
        value = term['weight'] * data_loss(term, pred, fetch(term['target'], batch, values), mask)
        count = None
        if mask is not None:
            per_entry = 1 if term['kind'] in ('cross_entropy', 'kl_divergence') else pred.numel() // mask.numel()
            count = float((mask != 0).sum()) * per_entry
        terms.append((value, count))
    return terms


def total_loss(config, batch, values):
    """Σ weight · loss(prediction, target) + Σ weight · value: the train section's loss expression."""
    return sum((value for value, _ in loss_terms(config, batch, values)), 0.0)


def distributed_loss(run, terms, share, real):
    """This process's part of the global batch's loss, which DDP's mean of the gradients turns into
    nnet's step: each term times this process's share of the batch, except a masked loss, whose mean
    is over the items kept in the whole batch: its local mean times local kept · world / all kept
    (one all-reduce of the counts). \`real\`: false on a process with no row of this batch."""
    counts = [count if real else 0.0 for _, count in terms if count is not None]
    if run.world == 1 or not counts:
        return sum((value for value, _ in terms), 0.0) * share
    totals = iter(zip(counts, run.all_sum(counts)))
    total = 0.0
    for value, count in terms:
        if count is None:
            total = total + value * share
        else:
            local, everywhere = next(totals)
            total = total + value * (local * run.world / max(everywhere, 1.0))
    return total


class Metrics:
    """Running sums of the loss and each metric (runtime/train/metric-counters.ts), summed over ranks."""

    def __init__(self, config):
        self.config = config
        self.loss_sum = 0.0
        self.samples = 0.0
        self.sums = {}

    def _add(self, key, values):
        current = self.sums.get(key)
        self.sums[key] = values if current is None else [a + b for a, b in zip(current, values)]

    def add(self, loss, n, batch, values):
        self.loss_sum += float(loss) * n
        self.samples += n
        for m in self.config['metrics']:
            pred = fetch(m['pred'], batch, values).detach()
            target = fetch(m['target'], batch, values)
            mask = fetch(m['mask'], batch, values) if 'mask' in m else None
            name = m['name']
            if name == 'mae':
                error = (pred - target.reshape(pred.shape)).abs()
                counted = kept(mask, error) if mask is not None else torch.ones_like(error)
                self._add(m['key'], [float((error * counted).sum()), float(counted.sum())])
                continue
            width = pred.shape[-1] if m['decision'] == 'argmax' else 1
            rows = pred.reshape(-1, width)
            one_hot = target.numel() == pred.numel() and m['decision'] == 'argmax'
            actual = target.reshape(-1, width).argmax(-1) if one_hot else target.reshape(-1).long()
            if mask is not None:
                # A masked loss's metric counts the rows (or elements) that loss counts, as nnet's.
                keep = (mask.reshape(-1) != 0).repeat_interleave(len(rows) // mask.numel())
                rows, actual, target = rows[keep], actual[keep], target.reshape(len(keep), -1)[keep]
            if name == 'top_k_accuracy':
                score = rows.gather(1, actual[:, None])
                index = torch.arange(width, device=rows.device)[None, :]
                better = ((rows > score) | ((rows == score) & (index < actual[:, None]))).sum(1)
                self._add(m['key'], [float((better < m['k']).sum()), len(rows)])
                continue
            if m['decision'] == 'argmax':
                predicted, classes = rows.argmax(-1), width
            else:
                predicted, classes = (rows.reshape(-1) > m['decision']).long(), 2
                actual = (target.reshape(-1).float() > 0.5).long()
            if name == 'accuracy':
                self._add(m['key'], [float((predicted == actual).sum()), len(predicted)])
                continue
            right = predicted == actual
            tp = torch.bincount(actual[right], minlength=classes)[:classes]
            fp = torch.bincount(predicted[~right], minlength=classes)[:classes]
            fn = torch.bincount(actual[~right], minlength=classes)[:classes]
            self._add(m['key'], torch.cat([tp, fp, fn]).double().tolist())

    def reduce(self, run):
        keys = [m['key'] for m in self.config['metrics']]
        flat = [self.loss_sum, self.samples]
        sizes = []
        for m in self.config['metrics']:
            values = self.sums.get(m['key'])
            if values is None:
                values = [0.0] * self._size(m)
            sizes.append(len(values))
            flat += values
        flat = run.all_sum(flat)
        out = {'loss': flat[0] / flat[1] if flat[1] else float('nan')}
        at = 2
        for m, size in zip(self.config['metrics'], sizes):
            values = flat[at:at + size]
            at += size
            out[m['key']] = self._value(m, values)
        return out

    def _size(self, m):
        if m['name'] in ('precision', 'recall', 'f1'):
            return 3 * (2 if m['decision'] != 'argmax' else m['classes'])
        return 2

    @staticmethod
    def _value(m, values):
        if m['name'] not in ('precision', 'recall', 'f1'):
            return values[0] / values[1] if values[1] else float('nan')
        classes = len(values) // 3
        tp, fp, fn = values[:classes], values[classes:2 * classes], values[2 * classes:]
        ratio = lambda a, b: a / b if b > 0 else 0.0

        def score(c):
            precision = ratio(tp[c], tp[c] + fp[c])
            recall = ratio(tp[c], tp[c] + fn[c])
            return precision if m['name'] == 'precision' else recall if m['name'] == 'recall' else ratio(2 * precision * recall, precision + recall)

        if m['decision'] != 'argmax':
            return score(1)
        present = [c for c in range(classes) if tp[c] + fp[c] + fn[c] > 0]
        return sum(score(c) for c in present) / len(present) if present else float('nan')


def evaluate(run, model, config, tensors, batch_size):
    """Loss (with the penalty, as nnet reports it) and metrics of a dataset, in inference mode."""
    regularize = {name: tuple(v) for name, v in config['regularize'].items()}
    model.eval()
    metrics = Metrics(config)
    n = len(next(iter(tensors.values())))
    start, end = shard(n, run.rank, run.world)
    with torch.no_grad():
        for s in range(start, end, batch_size):
            batch = {k: v[s:min(s + batch_size, end)].to(run.device) for k, v in tensors.items()}
            values = forward_values(model, config, batch)
            loss = total_loss(config, batch, values) + penalty(model, regularize)
            metrics.add(loss, len(next(iter(batch.values()))), batch, values)
    model.train()
    return metrics.reduce(run)


def train(run, model_class, config, args):
    torch.manual_seed(mix_seed(args.seed, run.rank))
    source = args.data or config['data']['source']
    if source is None:
        raise DataError('the train section names no data: pass --data FILE_OR_FOLDER')
    # As 'nnet train --data': a file named on the command line takes none of the train section's data options.
    options = config['data']['options'] if not args.data else {}
    train_set, test_set = load_data(source, options, HERE if not args.data else os.getcwd(), args.seed)
    validation = args.validation if args.validation is not None else config['validation']
    val_set = None
    if validation > 0:
        train_set, val_set = split(train_set, validation, args.seed)
    tensors = bind(config, train_set)
    n = train_set.length
    model = model_class().to(run.device)
    load_nnet_weights(model, args.weights)
    ddp = model
    if run.world > 1:
        ddp = torch.nn.parallel.DistributedDataParallel(model, device_ids=[run.device.index] if run.device.type == 'cuda' else None, find_unused_parameters=config['findUnused'])
    spec = dict(config['optimizer'])
    if args.lr is not None:
        spec['lr'] = args.lr
    optimizer = NnetOptimizer(model.parameters(), spec)
    regularize = {name: tuple(v) for name, v in config['regularize'].items()}
    batch_size = args.batch or config['batch']
    epochs = args.epochs or config['epochs']
    stopping = config['earlyStopping']
    best = None
    waited = 0
    augmented = [a for a in config['augment']]
    run.log(f"{config['model']}: {n} training samples, {run.world} process(es) on {run.device.type}, batch {batch_size}, {epochs} epochs")
    steps = 0
    history = []
    steps_per_epoch = max(1, -(-n // batch_size))
    clip = config.get('clip') or {}
    trainable = [p for p in model.parameters() if p.requires_grad]
    for epoch in range(epochs):
        started = time.time()
        order = torch.arange(n) if args.no_shuffle else torch.randperm(n, generator=torch.Generator().manual_seed(mix_seed(args.seed, epoch, 1)))
        generator = torch.Generator().manual_seed(mix_seed(args.seed, epoch, 2 + run.rank))
        metrics = Metrics(config)
        for s in range(0, n, batch_size):
            rows = order[s:s + batch_size]
            lo, hi = shard(len(rows), run.rank, run.world)
            local = rows[lo:hi] if hi > lo else rows[:1]
            weight = (hi - lo) * run.world / len(rows)
            batch = {k: v[local] for k, v in tensors.items()}
            if not args.no_augment:
                for spec_a in augmented:
                    name = spec_a['input'] or config['augmentInput']
                    batch[name] = augment(batch[name], [spec_a], generator)
            batch = {k: v.to(run.device) for k, v in batch.items()}
            lr = step_learning_rate(spec['lr'], config['schedule'], config.get('warmup', 0), epoch * steps_per_epoch + s // batch_size, steps_per_epoch, epochs)
            for group in optimizer.param_groups:
                group['lr'] = lr
            values = forward_values(ddp, config, batch)
            terms = loss_terms(config, batch, values)
            loss = sum((value for value, _ in terms), 0.0)
            cost = penalty(model, regularize)
            total = distributed_loss(run, terms, weight, hi > lo) + cost
            optimizer.zero_grad(set_to_none=True)
            total.backward()
            clip_gradients(trainable, clip)
            optimizer.step()
            if hi > lo:
                metrics.add(float(loss) + float(cost), hi - lo, batch, values)
            steps += 1
            if args.steps and steps >= args.steps:
                break
        record = {'epoch': epoch + 1, 'lr': lr, **metrics.reduce(run)}
        if val_set is not None and val_set.length > 0:
            for key, value in evaluate(run, model, config, bind(config, val_set), max(batch_size, 256)).items():
                record['val_' + key] = value
        record['seconds'] = time.time() - started
        history.append(record)
        figures = ' · '.join(f'{k} {v:.4f}' for k, v in record.items() if k not in ('epoch', 'lr', 'seconds'))
        run.log(f"epoch {epoch + 1}/{epochs} · {figures} · lr {lr:.3g} · {record['seconds']:.1f}s")
        if args.steps and steps >= args.steps:
            break
        if stopping:
            value = record.get(stopping['monitor'], float('nan'))
            higher = stopping['monitor'].endswith('accuracy')
            improved = math.isfinite(value) and (best is None or (value > best[0] + stopping['minDelta'] if higher else value < best[0] - stopping['minDelta']))
            if improved:
                best = (value, epoch + 1, copy.deepcopy(model.state_dict()) if stopping['restoreBest'] else None)
                waited = 0
            else:
                waited += 1
            if waited >= stopping['patience'] and epoch + 1 < epochs:
                run.log(f"early stopping: {stopping['monitor']} did not improve for {stopping['patience']} epochs")
                break
    if stopping and stopping['restoreBest'] and best is not None and best[1] != len(history):
        model.load_state_dict(best[2])
        run.log(f"restored the weights of epoch {best[1]} (best {stopping['monitor']} {best[0]:.4f})")
    result = {'history': history}
    if test_set is not None and not args.steps:
        test = evaluate(run, model, config, bind(config, test_set), max(batch_size, 256))
        result['test'] = test
        run.log(' '.join(f'test {k}: {v:.4f}' for k, v in test.items()))
    if run.rank == 0:
        save_nnet_weights(model, args.out, {'model': config['model'], 'trained_by': 'pytorch'})
        run.log(f'wrote {args.out}')
        if args.history:
            with open(args.history, 'w') as f:
                json.dump(result, f, indent=1)
    return result


# -- processes: torchrun's environment, the built-in --procs launcher, or one process --
def device_for(local_rank, wanted):
    if wanted == 'cuda' or (wanted == 'auto' and torch.cuda.is_available()):
        torch.cuda.set_device(local_rank)
        return torch.device('cuda', local_rank)
    return torch.device('cpu')


def worker(local_rank, world, port, model_class, config, args):
    os.environ.update({'MASTER_ADDR': '127.0.0.1', 'MASTER_PORT': str(port), 'RANK': str(local_rank), 'WORLD_SIZE': str(world), 'LOCAL_RANK': str(local_rank)})
    main_process(model_class, config, args)


def main_process(model_class, config, args):
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank = int(os.environ.get('RANK', '0'))
    local_rank = int(os.environ.get('LOCAL_RANK', '0'))
    device = device_for(local_rank, args.device)
    if world > 1:
        if device.type == 'cpu':
            cores = len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1)
            torch.set_num_threads(max(1, cores // int(os.environ.get('LOCAL_WORLD_SIZE', world))))
        dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo', rank=rank, world_size=world, timeout=datetime.timedelta(minutes=10))
    try:
        train(Run(rank, world, device), model_class, config, args)
    finally:
        if world > 1:
            dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def arguments(config, argv=None):
    p = argparse.ArgumentParser(description=f"Train {config['model']} as its nnet train section says (generated by nnet export --format pytorch).")
    p.add_argument('--procs', type=int, default=1, help='start N processes here (torch.multiprocessing.spawn, rendezvous on 127.0.0.1); under torchrun leave it at 1')
    p.add_argument('--device', choices=['auto', 'cpu', 'cuda'], default='auto', help='cuda (NCCL) when available, else cpu (gloo)')
    p.add_argument('--data', help="a data file or a folder from nnet data export (default: the train section's data)")
    p.add_argument('--weights', default=os.path.join(HERE, 'initial.safetensors'), help="initial weights (default: nnet's, exported with the model)")
    p.add_argument('--out', default='trained.safetensors', help='where rank 0 writes the trained weights (safetensors that nnet run --weights reads)')
    p.add_argument('--epochs', type=int, help='override the train section')
    p.add_argument('--batch', type=int, help='the global batch (split across processes); override the train section')
    p.add_argument('--lr', type=float, help='override the optimizer learning rate')
    p.add_argument('--seed', type=int, default=config['seed'])
    p.add_argument('--validation', type=float, help='override the validation fraction')
    p.add_argument('--history', help='write the per-epoch figures and test figures as JSON here')
    p.add_argument('--steps', type=int, help='stop after this many optimizer steps (checks)')
    p.add_argument('--no-shuffle', action='store_true', help='batches in data order (checks)')
    p.add_argument('--no-augment', action='store_true', help='leave the augmentations out (checks)')
    return p.parse_args(argv)


def main(model_class, config, argv=None):
    args = arguments(config, argv)
    if args.procs > 1 and 'WORLD_SIZE' not in os.environ:
        import torch.multiprocessing as mp
        mp.spawn(worker, args=(args.procs, free_port(), model_class, config, args), nprocs=args.procs, join=True)
    else:
        main_process(model_class, config, args)
`;
