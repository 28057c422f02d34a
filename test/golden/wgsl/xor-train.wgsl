// Xor: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul+bias+tanh(x, h.weight, h.bias) -> h/matmul+bias+tanh  [matmul+bias+tanh@direct|f32[batch,2];f32[8,2];f32[8]->f32[batch,8]|transA=false,transB=true]
// forward 1: matmul+bias(h/matmul+bias+tanh, logits.weight, logits.bias) -> logits/matmul+bias  [matmul+bias@direct|f32[batch,8];f32[2,8];f32[2]->f32[batch,2]|transA=false,transB=true]
// backward 0: sparse_softmax_cross_entropy_loss(logits/matmul+bias, label) -> loss/sparse_softmax_cross_entropy_loss, loss/sparse_softmax_cross_entropy_loss:1  [sparse_softmax_cross_entropy_loss|f32[batch,2];i32[batch]->f32[];f32[batch,2]|]
// backward 1: sum_to(loss/sparse_softmax_cross_entropy_loss:1) -> logits/sum_to  [sum_to|f32[batch,2]->f32[2]|shape=[2]]
// backward 2: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits.weight) -> logits/matmul  [matmul@direct|f32[batch,2];f32[2,8]->f32[batch,8]|transA=false,transB=false]
// backward 3: matmul(loss/sparse_softmax_cross_entropy_loss:1, h/matmul+bias+tanh) -> logits/matmul#2  [matmul@direct|f32[batch,2];f32[batch,8]->f32[2,8]|transA=true,transB=false]
// backward 4: tanh_grad(logits/matmul, h/matmul+bias+tanh) -> h/tanh_grad  [tanh_grad|f32[batch,8];f32[batch,8]->f32[batch,8]|]
// backward 5: sum_to(h/tanh_grad) -> h/sum_to  [sum_to|f32[batch,8]->f32[8]|shape=[8]]
// backward 6: matmul(h/tanh_grad, x) -> h/matmul  [matmul@direct|f32[batch,8];f32[batch,2]->f32[8,2]|transA=true,transB=false]
// update 0: adam_update(h.weight, h/matmul, h.weight.m, h.weight.v) -> h.weight, h.weight.m, h.weight.v  [adam_update|f32[8,2];f32[8,2];f32[8,2];f32[8,2]->f32[8,2];f32[8,2];f32[8,2]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 1: adam_update(h.bias, h/sum_to, h.bias.m, h.bias.v) -> h.bias, h.bias.m, h.bias.v  [adam_update|f32[8];f32[8];f32[8];f32[8]->f32[8];f32[8];f32[8]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 2: adam_update(logits.weight, logits/matmul#2, logits.weight.m, logits.weight.v) -> logits.weight, logits.weight.m, logits.weight.v  [adam_update|f32[2,8];f32[2,8];f32[2,8];f32[2,8]->f32[2,8];f32[2,8];f32[2,8]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 3: adam_update(logits.bias, logits/sum_to, logits.bias.m, logits.bias.v) -> logits.bias, logits.bias.m, logits.bias.v  [adam_update|f32[2];f32[2];f32[2];f32[2]->f32[2];f32[2];f32[2]|beta1=0.9,beta2=0.999,epsilon=1e-7]

// ── program matmul+bias+tanh@direct|f32[batch,2];f32[8,2];f32[8]->f32[batch,8]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*8)/64), 1, 1]
// params M=batch, N=8, K=2, lda=2, ldb=2
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn nn_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn act_tanh(x: f32) -> f32 {
  return nn_tanh(x);
}

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  v = act_tanh(v);
  y[m * P.N + n] = v;
}


@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = P.M * P.N;
  for (var i = gid.x; i < total; i += groups.x * 64u) {
    let m = i / P.N;
    let n = i % P.N;
    var acc = 0.0;
    for (var k = 0u; k < P.K; k++) {
      acc = fma(load_a(m, k), load_b(k, n), acc);
    }
    store(m, n, acc);
  }
}

// ── program matmul+bias@direct|f32[batch,8];f32[2,8];f32[2]->f32[batch,2]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*2)/64), 1, 1]
// params M=batch, N=2, K=8, lda=8, ldb=8
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  y[m * P.N + n] = v;
}


@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = P.M * P.N;
  for (var i = gid.x; i < total; i += groups.x * 64u) {
    let m = i / P.N;
    let n = i % P.N;
    var acc = 0.0;
    for (var k = 0u; k < P.K; k++) {
      acc = fma(load_a(m, k), load_b(k, n), acc);
    }
    store(m, n, acc);
  }
}

// ── program sparse_softmax_cross_entropy_loss|f32[batch,2];i32[batch]->f32[];f32[batch,2]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=batch, width=2
struct Params { count: u32, width: u32 }
@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> tgt: array<i32>;
@group(0) @binding(2) var<storage, read_write> loss_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  var acc = 0.0;
  for (var i = lid.x; i < P.count; i += 256u) {
    let base = i * P.width;
    var mx = pred[base];
    for (var j = 1u; j < P.width; j++) { mx = max(mx, pred[base + j]); }
    var se = 0.0;
    for (var j = 0u; j < P.width; j++) { se += exp(pred[base + j] - mx); }
    let lse = mx + log(se);
    let label = u32(tgt[i]);
    acc += lse - pred[base + label];
    for (var j = 0u; j < P.width; j++) {
      dpred[base + j] = (exp(pred[base + j] - lse) - select(0.0, 1.0, j == label)) * (1.0 / f32(P.count));
    }
  }
  partial[lid.x] = acc;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride = stride / 2u) {
    if (lid.x < stride) { partial[lid.x] += partial[lid.x + stride]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let total = partial[0];
    loss_out[0] = total / f32(P.count);
  }
}

// ── program sum_to|f32[batch,2]->f32[2]|shape=[2]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=2, rows=batch
struct Params { count: u32, rows: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    var total = 0.0;
    for (var r = 0u; r < P.rows; r++) { total += x[r * P.count + i]; }
    y[i] = total;
  }
}

// ── program matmul@direct|f32[batch,2];f32[2,8]->f32[batch,8]|transA=false,transB=false
// workgroup 64×1×1, dispatch [ceil((batch*8)/64), 1, 1]
// params M=batch, N=8, K=2, lda=2, ldb=8
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[k * P.ldb + n]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  
  y[m * P.N + n] = v;
}


@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = P.M * P.N;
  for (var i = gid.x; i < total; i += groups.x * 64u) {
    let m = i / P.N;
    let n = i % P.N;
    var acc = 0.0;
    for (var k = 0u; k < P.K; k++) {
      acc = fma(load_a(m, k), load_b(k, n), acc);
    }
    store(m, n, acc);
  }
}

// ── program matmul@direct|f32[batch,2];f32[batch,8]->f32[2,8]|transA=true,transB=false
// workgroup 64×1×1, dispatch [1, 1, 1]
// params M=2, N=8, K=batch, lda=2, ldb=8
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn load_a(m: u32, k: u32) -> f32 { return a[k * P.lda + m]; }
fn load_b(k: u32, n: u32) -> f32 { return b[k * P.ldb + n]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  
  y[m * P.N + n] = v;
}


@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = P.M * P.N;
  for (var i = gid.x; i < total; i += groups.x * 64u) {
    let m = i / P.N;
    let n = i % P.N;
    var acc = 0.0;
    for (var k = 0u; k < P.K; k++) {
      acc = fma(load_a(m, k), load_b(k, n), acc);
    }
    store(m, n, acc);
  }
}

// ── program tanh_grad|f32[batch,8];f32[batch,8]->f32[batch,8]|
// workgroup 256×1×1, dispatch [ceil((batch*8)/256), 1, 1]
// params count=batch*8
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn nn_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn grad_tanh(dy: f32, v: f32) -> f32 {
  return dy * (1.0 - v * v);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    dx[i] = grad_tanh(dy[i], v[i]);
  }
}

// ── program sum_to|f32[batch,8]->f32[8]|shape=[8]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=8, rows=batch
struct Params { count: u32, rows: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    var total = 0.0;
    for (var r = 0u; r < P.rows; r++) { total += x[r * P.count + i]; }
    y[i] = total;
  }
}

// ── program matmul@direct|f32[batch,8];f32[batch,2]->f32[8,2]|transA=true,transB=false
// workgroup 64×1×1, dispatch [1, 1, 1]
// params M=8, N=2, K=batch, lda=8, ldb=2
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn load_a(m: u32, k: u32) -> f32 { return a[k * P.lda + m]; }
fn load_b(k: u32, n: u32) -> f32 { return b[k * P.ldb + n]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  
  y[m * P.N + n] = v;
}


@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = P.M * P.N;
  for (var i = gid.x; i < total; i += groups.x * 64u) {
    let m = i / P.N;
    let n = i % P.N;
    var acc = 0.0;
    for (var k = 0u; k < P.K; k++) {
      acc = fma(load_a(m, k), load_b(k, n), acc);
    }
    store(m, n, acc);
  }
}

// ── program adam_update|f32[8,2];f32[8,2];f32[8,2];f32[8,2]->f32[8,2];f32[8,2];f32[8,2]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=16
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let mt = 0.9 * m[i] + (1.0 - 0.9) * g;
    let vt = 0.999 * v[i] + (1.0 - 0.999) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.999, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[8];f32[8];f32[8];f32[8]->f32[8];f32[8];f32[8]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=8
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let mt = 0.9 * m[i] + (1.0 - 0.9) * g;
    let vt = 0.999 * v[i] + (1.0 - 0.999) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.999, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[2,8];f32[2,8];f32[2,8];f32[2,8]->f32[2,8];f32[2,8];f32[2,8]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=16
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let mt = 0.9 * m[i] + (1.0 - 0.9) * g;
    let vt = 0.999 * v[i] + (1.0 - 0.999) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.999, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[2];f32[2];f32[2];f32[2]->f32[2];f32[2];f32[2]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=2
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let mt = 0.9 * m[i] + (1.0 - 0.9) * g;
    let vt = 0.999 * v[i] + (1.0 - 0.999) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.999, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}
