/**
 * model.py's library: one nn.Module per family of nnet layers, keeping nnet's parameter names and
 * layouts, and a safetensors reader and writer (no package beyond torch).
 * Python source, written into the exported directory as it is (python/ holds no template).
 */
export const LAYERS_PY = String.raw`# ---- nnet layer library: each module keeps nnet's parameter names and layouts ----
import json
import math
import struct

import torch
import torch.nn.functional as F
from torch import nn


def activate(x, name, alpha=None):
    """nnet's activations (runtime/plan/activations.ts); alpha defaults as nnet's."""
    if name is None or name == 'linear':
        return x
    if name == 'relu':
        return F.relu(x)
    if name == 'leaky_relu':
        return F.leaky_relu(x, 0.01 if alpha is None else alpha)
    if name == 'elu':
        return F.elu(x, 1.0 if alpha is None else alpha)
    if name == 'gelu':
        return F.gelu(x, approximate='tanh')
    if name == 'sigmoid':
        return torch.sigmoid(x)
    if name == 'tanh':
        return torch.tanh(x)
    if name == 'softplus':
        return F.softplus(x)
    if name == 'silu':
        return F.silu(x)
    if name == 'step':
        return (x > 0).to(x.dtype)
    if name == 'softmax':
        return F.softmax(x, dim=-1)
    if name == 'log_softmax':
        return F.log_softmax(x, dim=-1)
    raise ValueError(f"unknown activation '{name}'")


class Activation(nn.Module):
    def __init__(self, name, alpha=None):
        super().__init__()
        self.name, self.alpha = name, alpha

    def forward(self, x):
        return activate(x, self.name, self.alpha)

    def extra_repr(self):
        return self.name if self.alpha is None else f'{self.name}, alpha={self.alpha}'


class Dense(nn.Module):
    """y = act(x·weightᵀ + bias); weight [units, in] as nnet stores it."""

    def __init__(self, in_features, units, bias=True, activation=None, alpha=None):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(units, in_features))
        self.bias = nn.Parameter(torch.zeros(units)) if bias else None
        self.activation, self.alpha = activation, alpha

    def forward(self, x):
        return activate(F.linear(x, self.weight, self.bias), self.activation, self.alpha)


def _same_padding(size, kernel, stride, dilation):
    """nnet's (TensorFlow's) 'same' padding: (before, after), the extra cell after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    """conv1d/conv2d on channels-last x ([N, L, C] or [N, H, W, C]); weight [F, k..., C] as nnet stores it."""

    def __init__(self, rank, in_channels, filters, kernel, strides, padding, dilation, bias=True, activation=None, alpha=None, groups=1):
        super().__init__()
        self.rank, self.kernel, self.strides, self.padding, self.dilation, self.groups = rank, list(kernel), list(strides), padding, list(dilation), groups
        self.weight = nn.Parameter(torch.zeros(filters, *kernel, in_channels // groups))
        self.bias = nn.Parameter(torch.zeros(filters)) if bias else None
        self.activation, self.alpha = activation, alpha

    def forward(self, x):
        y = _conv(x, self.weight, self.bias, self.rank, self.kernel, self.strides, self.padding, self.dilation, self.groups)
        return activate(y, self.activation, self.alpha)


def _conv(x, weight, bias, rank, kernel, strides, padding, dilation, groups=1):
    """A convolution of channels-last x with a channels-last weight [F, k..., C/groups]; output channel
    f reads the input channels of group floor(f / (F/groups)), as PyTorch's groups."""
    x = x.movedim(-1, 1)  # channels-last → channels-first
    w = weight.movedim(-1, 1)
    if padding == 'same':
        pads = []
        for axis in reversed(range(rank)):
            pads += _same_padding(x.shape[2 + axis], kernel[axis], strides[axis], dilation[axis])
        x = F.pad(x, pads)
    conv = F.conv1d if rank == 1 else F.conv2d
    return conv(x, w, bias, stride=strides, dilation=dilation, groups=groups).movedim(1, -1)


class SeparableConv(nn.Module):
    """separable_conv2d: a depthwise convolution (depthwise [C·M, kh, kw, 1]), then a 1×1 convolution
    (pointwise [filters, 1, 1, C·M]) with the one bias and the activation."""

    def __init__(self, in_channels, filters, kernel, strides, padding, dilation, depth_multiplier=1, bias=True, activation=None, alpha=None):
        super().__init__()
        self.kernel, self.strides, self.padding, self.dilation = list(kernel), list(strides), padding, list(dilation)
        self.depthwise = nn.Parameter(torch.zeros(in_channels * depth_multiplier, *kernel, 1))
        self.pointwise = nn.Parameter(torch.zeros(filters, 1, 1, in_channels * depth_multiplier))
        self.bias = nn.Parameter(torch.zeros(filters)) if bias else None
        self.in_channels, self.activation, self.alpha = in_channels, activation, alpha

    def forward(self, x):
        y = _conv(x, self.depthwise, None, 2, self.kernel, self.strides, self.padding, self.dilation, self.in_channels)
        y = _conv(y, self.pointwise, self.bias, 2, [1, 1], [1, 1], 'valid', [1, 1])
        return activate(y, self.activation, self.alpha)


class ConvTranspose(nn.Module):
    """conv1d_transpose/conv2d_transpose on channels-last x, weight [in, k..., filters] as nnet stores it:
    the input gradient of a convolution (nnet's kernel), so the full transposed output is cropped
    (and zero-extended) to nnet's size: n·stride (same, the crop starting at the forward conv's
    padding) or n·stride + max(dilation·(k−1) + 1 − stride, 0) (valid)."""

    def __init__(self, rank, in_channels, filters, kernel, strides, padding, dilation, bias=True, activation=None, alpha=None):
        super().__init__()
        self.rank, self.kernel, self.strides, self.padding, self.dilation = rank, list(kernel), list(strides), padding, list(dilation)
        self.weight = nn.Parameter(torch.zeros(in_channels, *kernel, filters))
        self.bias = nn.Parameter(torch.zeros(filters)) if bias else None
        self.activation, self.alpha = activation, alpha

    def forward(self, x):
        x = x.movedim(-1, 1)
        w = self.weight.movedim(-1, 1)
        conv = F.conv_transpose1d if self.rank == 1 else F.conv_transpose2d
        y = conv(x, w, None, stride=self.strides, dilation=self.dilation)
        for axis in range(self.rank):
            n, k, s, d = x.shape[2 + axis], self.kernel[axis], self.strides[axis], self.dilation[axis]
            span = d * (k - 1) + 1
            out = n * s if self.padding == 'same' else n * s + max(span - s, 0)
            before = max((n - 1) * s + span - out, 0) // 2 if self.padding == 'same' else 0
            short = before + out - y.shape[2 + axis]
            if short > 0:
                pads = [0, 0] * (self.rank - 1 - axis) + [0, short]
                y = F.pad(y, pads)
            y = y.narrow(2 + axis, before, out)
        if self.bias is not None:
            y = y + self.bias.reshape(-1, *([1] * self.rank))
        return activate(y.movedim(1, -1), self.activation, self.alpha)


class Upsample(nn.Module):
    """upsample1d/2d on channels-last x by whole factors: nearest repeats cells, bilinear (linear in
    1-D) interpolates with half-pixel centres."""

    def __init__(self, rank, size, mode):
        super().__init__()
        self.rank, self.size, self.mode = rank, list(size), mode

    def forward(self, x):
        if self.mode == 'nearest':
            for axis in range(self.rank):
                x = x.repeat_interleave(self.size[axis], dim=1 + axis)
            return x
        y = x.movedim(-1, 1)
        out = [y.shape[2 + a] * self.size[a] for a in range(self.rank)]
        y = F.interpolate(y, size=out, mode='linear' if self.rank == 1 else 'bilinear', align_corners=False)
        return y.movedim(1, -1)


class Pool(nn.Module):
    """max/avg pooling over channels-last x; 'same' pads skip padding cells (max ignores them, avg does not count them)."""

    def __init__(self, kind, rank, size, strides, padding):
        super().__init__()
        self.kind, self.rank, self.size, self.strides, self.padding = kind, rank, list(size), list(strides), padding

    def forward(self, x):
        x = x.movedim(-1, 1)
        pads = []
        if self.padding == 'same':
            for axis in reversed(range(self.rank)):
                pads += _same_padding(x.shape[2 + axis], self.size[axis], self.strides[axis], 1)
        if self.kind == 'max':
            if pads:
                x = F.pad(x, pads, value=-math.inf)
            pool = F.max_pool1d if self.rank == 1 else F.max_pool2d
            y = pool(x, self.size, self.strides)
        else:
            pool = F.avg_pool1d if self.rank == 1 else F.avg_pool2d
            if pads:
                ones = F.pad(torch.ones_like(x[:1, :1]), pads)
                y = pool(F.pad(x, pads), self.size, self.strides) / pool(ones, self.size, self.strides)
            else:
                y = pool(x, self.size, self.strides)
        return y.movedim(1, -1)


class GlobalPool(nn.Module):
    """Pools every axis between the first and the last (channels-last); with a mask [N, T] of a
    sequence [N, T, C], only the steps where it is nonzero (a row with none gives 0)."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def forward(self, x, mask=None):
        if mask is not None:
            real = (mask != 0).unsqueeze(-1)
            any_real = real.any(dim=1)
            if self.kind == 'avg':
                return (x * real).sum(dim=1) / real.sum(dim=1).clamp(min=1)
            return torch.where(any_real, x.masked_fill(~real, -math.inf).amax(dim=1), torch.zeros_like(x[:, 0]))
        axes = tuple(range(1, x.dim() - 1))
        return x.mean(dim=axes) if self.kind == 'avg' else x.amax(dim=axes)


class BatchNorm(nn.Module):
    """Over the last axis; nnet's (Keras's) momentum: running = momentum·running + (1 − momentum)·batch."""

    def __init__(self, channels, momentum=0.99, epsilon=1e-3):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.register_buffer('running_mean', torch.zeros(channels))
        self.register_buffer('running_var', torch.ones(channels))
        self.momentum, self.epsilon = momentum, epsilon

    def forward(self, x):
        rows = x.reshape(-1, x.shape[-1])
        y = F.batch_norm(rows, self.running_mean, self.running_var, self.gamma, self.beta, self.training, 1 - self.momentum, self.epsilon)
        return y.reshape(x.shape)


class LayerNorm(nn.Module):
    def __init__(self, channels, epsilon=1e-3):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.epsilon = epsilon

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.gamma, self.beta, self.epsilon)


class GroupNorm(nn.Module):
    """Per sample over its positions and the channels of each group (channels last), scale and shift per channel."""

    def __init__(self, channels, groups, epsilon=1e-3):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))
        self.groups, self.epsilon = groups, epsilon

    def forward(self, x):
        return F.group_norm(x.movedim(-1, 1), self.groups, self.gamma, self.beta, self.epsilon).movedim(1, -1)


class Embedding(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.table = nn.Parameter(torch.zeros(vocab, dim))

    def forward(self, ids):
        return F.embedding(ids.long(), self.table)


class Dropout(nn.Module):
    """Inverted dropout while training, the identity otherwise (as nnet)."""

    def __init__(self, rate):
        super().__init__()
        self.rate = rate

    def forward(self, x):
        return F.dropout(x, self.rate, self.training)


class RandomLike(nn.Module):
    """Samples shaped like x (normal: mean a, std b; uniform: [a, b)) while training, or always with
    inference; the mean otherwise (as nnet; torch's generator, so not nnet's draws)."""

    def __init__(self, dist, a, b, inference):
        super().__init__()
        self.dist, self.a, self.b, self.inference = dist, a, b, inference

    def forward(self, x):
        x = x.float()
        if not (self.training or self.inference):
            return torch.full_like(x, self.a if self.dist == 'normal' else (self.a + self.b) / 2)
        if self.dist == 'normal':
            return self.a + self.b * torch.randn_like(x)
        return self.a + (self.b - self.a) * torch.rand_like(x)


RECURRENT_GATES = {'rnn': 1, 'lstm': 4, 'gru': 3}


class Recurrent(nn.Module):
    """rnn/lstm/gru as nnet runs them (runtime/plan/kernels.ts RECURRENT_CELLS): w_ih [G·u, in],
    w_hh [G·u, u], one bias [G·u] added to the input projection; gates lstm i, f, g, o; gru r, z, n
    with n = tanh(xw_n + r·(w_hh·h)_n) and h = (1 − z)·n + z·h. bidirectional (concat, sum, mul,
    ave: Keras' merge modes) adds the reverse direction with the _reverse weights: the same scan over
    x reversed in time, its sequence reversed back so both directions' step t line up. masked: forward's
    second tensor is a mask [N, T] (nonzero = a real step): a padding step keeps h (and c) and outputs
    0, and the reverse direction reverses each row over its own length (1 + its last nonzero step)."""

    def __init__(self, cell, in_features, units, return_sequences=False, bias=True, reset_after=False,
                 bidirectional=None, reverse_bias=True, masked=False):
        super().__init__()
        gates = RECURRENT_GATES[cell]
        self.cell, self.units, self.return_sequences, self.masked = cell, units, return_sequences, masked
        self.bidirectional = bidirectional
        for suffix, has_bias in [('', bias)] + ([('_reverse', reverse_bias)] if bidirectional else []):
            setattr(self, 'w_ih' + suffix, nn.Parameter(torch.zeros(gates * units, in_features)))
            setattr(self, 'w_hh' + suffix, nn.Parameter(torch.zeros(gates * units, units)))
            setattr(self, 'bias' + suffix, nn.Parameter(torch.zeros(gates * units)) if has_bias else None)
            # gru with reset_after: the recurrent bias [3·u] added to w_hh·h (PyTorch's bias_hh).
            setattr(self, 'recurrent_bias' + suffix, nn.Parameter(torch.zeros(gates * units)) if reset_after else None)

    @staticmethod
    def reverse_rows(x, mask):
        """Each row of x [N, T, ...] reversed over its own length L (1 + its last nonzero mask step)."""
        steps = mask.shape[1]
        t = torch.arange(steps, device=x.device)
        lengths = ((mask != 0).long() * (t + 1)).amax(dim=1, keepdim=True)
        index = torch.where(t < lengths, lengths - 1 - t, t)
        return torch.gather(x, 1, index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x))

    def scan(self, x, suffix, mask=None):
        w_hh, recurrent_bias = getattr(self, 'w_hh' + suffix), getattr(self, 'recurrent_bias' + suffix)
        xw = F.linear(x, getattr(self, 'w_ih' + suffix), getattr(self, 'bias' + suffix))
        n, steps = x.shape[0], x.shape[1]
        h = x.new_zeros(n, self.units)
        c = x.new_zeros(n, self.units)
        outputs = []
        for t in range(steps):
            rec = F.linear(h, w_hh, recurrent_bias)
            h_prev, c_prev = h, c
            if self.cell == 'rnn':
                h = torch.tanh(xw[:, t] + rec)
            elif self.cell == 'lstm':
                i, f, g, o = (xw[:, t] + rec).chunk(4, dim=-1)
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(c)
            else:
                xr, xz, xn = xw[:, t].chunk(3, dim=-1)
                hr, hz, hn = rec.chunk(3, dim=-1)
                r = torch.sigmoid(xr + hr)
                z = torch.sigmoid(xz + hz)
                h = (1 - z) * torch.tanh(xn + r * hn) + z * h
            if mask is not None:
                real = (mask[:, t] != 0).unsqueeze(1)
                h, c = torch.where(real, h, h_prev), torch.where(real, c, c_prev)
                if self.return_sequences:
                    outputs.append(torch.where(real, h, torch.zeros_like(h)))
                continue
            if self.return_sequences:
                outputs.append(h)
        return torch.stack(outputs, dim=1) if self.return_sequences else h

    def forward(self, x, mask=None):
        forward = self.scan(x, '', mask)
        if not self.bidirectional:
            return forward
        if mask is None:
            backward = self.scan(x.flip(1), '_reverse')
            if self.return_sequences:
                backward = backward.flip(1)
        else:
            backward = self.scan(self.reverse_rows(x, mask), '_reverse', self.reverse_rows(mask, mask))
            if self.return_sequences:
                backward = self.reverse_rows(backward, mask)
        if self.bidirectional == 'concat':
            return torch.cat([forward, backward], dim=-1)
        if self.bidirectional == 'sum':
            return forward + backward
        if self.bidirectional == 'mul':
            return forward * backward
        return (forward + backward) * 0.5


class MultiHeadAttention(nn.Module):
    """Self-attention over x [N, T, D], or cross-attention with keys and values from a context [N, Tk, D]
    (cross=True: forward's second tensor); masked=True: the last tensor is a key mask [N, Tk] or a mask [N, T, Tk], nonzero =
    attend (Keras' sense; PyTorch's key_padding_mask is its negation). Projections w [D, D] (x·wᵀ + b as
    dense), heads split D, softmax(q·kᵀ/√(D/heads)) with an optional causal mask (key j > query i); a query
    with every key masked gets zeros (nnet's rule, not softmax's NaN), then the output projection."""

    def __init__(self, dim, heads, causal=False, cross=False, masked=False):
        super().__init__()
        self.heads, self.causal, self.cross, self.masked = heads, causal, cross, masked
        for name in ('q', 'k', 'v', 'o'):
            self.register_parameter('w' + name, nn.Parameter(torch.zeros(dim, dim)))
            self.register_parameter('b' + name, nn.Parameter(torch.zeros(dim)))

    def forward(self, x, *extra):
        memory = extra[0] if self.cross else x
        n, t, d = x.shape
        split = lambda y: y.reshape(n, y.shape[1], self.heads, d // self.heads).transpose(1, 2)
        q = split(F.linear(x, self.wq, self.bq))
        k = split(F.linear(memory, self.wk, self.bk))
        v = split(F.linear(memory, self.wv, self.bv))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // self.heads)
        if self.causal:
            mask = torch.ones(t, memory.shape[1], dtype=torch.bool, device=x.device).triu(1)
            scores = scores.masked_fill(mask, -math.inf)
        if self.masked:
            mask = extra[-1]
            ignore = (mask == 0)[:, None, None, :] if mask.dim() == 2 else (mask == 0)[:, None, :, :]
            scores = scores.masked_fill(ignore, -math.inf)
        probs = torch.nan_to_num(F.softmax(scores, dim=-1), nan=0.0)
        y = (probs @ v).transpose(1, 2).reshape(n, t, d)
        return F.linear(y, self.wo, self.bo)


class PositionalEncoding(nn.Module):
    """Adds sin(pos / 10000^(2⌊e/2⌋/d)) on even features e, cos on odd ones."""

    def forward(self, x):
        t, d = x.shape[-2], x.shape[-1]
        pos = torch.arange(t, dtype=torch.float64, device=x.device)[:, None]
        e = torch.arange(d, device=x.device)
        angle = pos / torch.pow(10000.0, (2 * torch.div(e, 2, rounding_mode='floor')).to(torch.float64) / d)
        table = torch.where(e % 2 == 0, torch.sin(angle), torch.cos(angle))
        return x + table.to(x.dtype)


class PositionEmbedding(nn.Module):
    """Adds row t of a learned [max_len, d] table at position t (BERT's and GPT-2's wpe, ids made here)."""

    def __init__(self, max_len, dim):
        super().__init__()
        self.table = nn.Parameter(torch.zeros(max_len, dim))

    def forward(self, x):
        t = x.shape[-2]
        if t > self.table.shape[0]:
            raise ValueError(f'a sequence of {t} positions is longer than max_len {self.table.shape[0]}')
        return x + self.table[:t]


class Reshape(nn.Module):
    def forward(self, x, shape):
        return x.reshape(shape)


class Flatten(nn.Module):
    def forward(self, x):
        return torch.flatten(x, 1)


class Add(nn.Module):
    def forward(self, *xs):
        y = xs[0]
        for x in xs[1:]:
            y = y + x
        return y


class Multiply(nn.Module):
    def forward(self, *xs):
        y = xs[0]
        for x in xs[1:]:
            y = y * x
        return y


class Concat(nn.Module):
    def __init__(self, axis):
        super().__init__()
        self.axis = axis

    def forward(self, *xs):
        return torch.cat(xs, dim=self.axis)


class Subtract(nn.Module):
    def forward(self, a, b):
        return a - b


class Divide(nn.Module):
    def forward(self, a, b):
        return a / b


class Unary(nn.Module):
    """nnet's elementwise math (runtime/plan/math-ops.ts) with its numbers a and b."""

    def __init__(self, op, a=0.0, b=0.0):
        super().__init__()
        self.op, self.a, self.b = op, a, b

    def forward(self, x):
        op, a, b = self.op, self.a, self.b
        if op == 'affine':
            return a * x + b
        if op == 'reciprocal':
            return a / x
        if op == 'exp':
            return torch.exp(x)
        if op == 'log':
            return torch.log(x)
        if op == 'sqrt':
            return torch.sqrt(x)
        if op == 'abs':
            return torch.abs(x)
        if op == 'square':
            return x * x
        if op == 'pow':
            return torch.pow(x, a)
        if op == 'clip':
            return torch.clamp(x, a, b)
        raise ValueError(f"unknown unary op '{op}'")

    def extra_repr(self):
        return f'{self.op}, a={self.a}, b={self.b}'


class Reduce(nn.Module):
    """sum, mean, max, min over axes (non-negative), keeping them as size 1 when keepdims."""

    def __init__(self, op, axes, keepdims=False):
        super().__init__()
        self.op, self.axes, self.keepdims = op, tuple(axes), keepdims

    def forward(self, x):
        f = {'sum': torch.sum, 'mean': torch.mean, 'max': torch.amax, 'min': torch.amin}[self.op]
        return f(x, dim=self.axes, keepdim=self.keepdims)


class Transpose(nn.Module):
    def __init__(self, axes):
        super().__init__()
        self.axes = list(axes)

    def forward(self, x):
        return x.permute(self.axes)


class ExpandDims(nn.Module):
    def __init__(self, axis):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return x.unsqueeze(self.axis)


class Squeeze(nn.Module):
    def __init__(self, axes):
        super().__init__()
        self.axes = sorted(axes, reverse=True)

    def forward(self, x):
        for axis in self.axes:
            x = x.squeeze(axis)
        return x


class Stack(nn.Module):
    def __init__(self, axis):
        super().__init__()
        self.axis = axis

    def forward(self, *xs):
        return torch.stack(xs, dim=self.axis)


class Pad(nn.Module):
    """Pads every axis by (before, after): zeros, or reflect (NumPy's: the edge value not repeated)."""

    def __init__(self, before, after, mode='zeros'):
        super().__init__()
        self.before, self.after, self.mode = list(before), list(after), mode

    def forward(self, x):
        if self.mode != 'reflect':
            pads = []
            for b, a in zip(reversed(self.before), reversed(self.after)):
                pads += [b, a]
            return F.pad(x, pads)
        for axis, (b, a) in enumerate(zip(self.before, self.after)):
            if b == 0 and a == 0:
                continue
            n = x.shape[axis]
            index = list(range(b, 0, -1)) + list(range(n)) + list(range(n - 2, n - 2 - a, -1))
            x = x.index_select(axis, torch.tensor(index, device=x.device))
        return x


class StridedRead(nn.Module):
    """Indexing (x[0], x[:, 1:5:2], x[:, -1]): x's axis i read at starts[i] + steps[i]·k for the kept
    axes (sizes), at starts[i] alone for the dropped ones."""

    def __init__(self, axes):
        super().__init__()
        self.axes = list(axes)

    def forward(self, x, starts, steps, shape):
        sizes = dict(zip(self.axes, shape))
        for axis in reversed(range(x.dim())):
            if axis in sizes:
                index = starts[axis] + steps[axis] * torch.arange(sizes[axis], device=x.device)
                x = x.index_select(axis, index)
            else:
                x = x.select(axis, starts[axis])
        return x


class Softmax(nn.Module):
    def __init__(self, axis=-1, log=False):
        super().__init__()
        self.axis, self.log = axis, log

    def forward(self, x):
        return (F.log_softmax if self.log else F.softmax)(x, dim=self.axis)


# ---- safetensors (https://github.com/huggingface/safetensors), F32 and I32, without the package ----
_DTYPES = {'F32': (torch.float32, 4), 'I32': (torch.int32, 4), 'F64': (torch.float64, 8), 'I64': (torch.int64, 8)}


def read_safetensors(path):
    """The tensors of a safetensors file by name."""
    with open(path, 'rb') as f:
        data = f.read()
    (length,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + length].decode('utf-8'))
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        dtype, size = _DTYPES[entry['dtype']]
        begin, end = entry['data_offsets']
        count = (end - begin) // size
        flat = torch.frombuffer(bytearray(data[start + begin:start + end]), dtype=dtype, count=count) if count else torch.zeros(0, dtype=dtype)
        tensors[name] = flat.reshape(entry['shape'])
    return tensors


def write_safetensors(path, tensors, metadata=None):
    """Writes float32/int32 tensors the way nnet does: sorted names, contiguous data, header padded to 8."""
    names = sorted(tensors)
    header, chunks, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = {str(k): str(v) for k, v in metadata.items()}
    for name in names:
        t = tensors[name].detach().cpu().contiguous()
        t = t.to(torch.int32) if not t.is_floating_point() else t.to(torch.float32)
        raw = t.numpy().tobytes()
        header[name] = {'dtype': 'F32' if t.dtype == torch.float32 else 'I32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - (8 + len(text)) % 8) % 8)
    encoded = text.encode('utf-8')
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)
    import os
    os.replace(tmp, path)


def tie_transposed(module, role, owner, attribute):
    """tied(..., transpose: true): module's weight \`role\` is owner's Parameter \`attribute\` transposed,
    read afresh before every call (a forward pre-hook, as torch.nn.utils.weight_norm computes its
    weight), so there is one Parameter and its gradient sums both uses; state_dict() lists it once."""
    del module._parameters[role]

    def read(mod, _args):
        setattr(mod, role, getattr(owner, attribute).t())

    module.register_forward_pre_hook(read)
    read(module, ())


def nnet_state_dict(module):
    """state_dict() without the second names of tied weights (the model's TIED): nnet's weight names, each tensor once."""
    tied = getattr(module, 'TIED', {})
    return {name: value for name, value in module.state_dict().items() if name not in tied}


def load_nnet_weights(module, path, strict=True):
    """Loads nnet's safetensors into a module whose state_dict names are nnet's (see each model's docstring).
    A tied weight is stored once, under the name of the layer that made it; the tying layer shares that Parameter."""
    tensors = read_safetensors(path)
    state = nnet_state_dict(module)
    missing = [name for name in state if name not in tensors]
    unexpected = [name for name in tensors if name not in state]
    if strict and (missing or unexpected):
        raise KeyError(f"{path} does not fit {type(module).__name__}: missing {missing}, unexpected {unexpected}")
    with torch.no_grad():
        for name, value in state.items():
            if name in tensors:
                if tuple(tensors[name].shape) != tuple(value.shape):
                    raise ValueError(f"{path}: '{name}' is {list(tensors[name].shape)}, the model needs {list(value.shape)}")
                value.copy_(tensors[name].to(value.dtype))
    return module


def save_nnet_weights(module, path, metadata=None):
    write_safetensors(path, nnet_state_dict(module), metadata)
`;
