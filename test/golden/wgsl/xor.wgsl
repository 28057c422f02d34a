// Xor: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul+bias+tanh(x, hidden.weight, hidden.bias) -> hidden/matmul+bias+tanh  [matmul+bias+tanh@direct|f32[batch,2];f32[8,2];f32[8]->f32[batch,8]|transA=false,transB=true]
// forward 1: matmul+bias(hidden/matmul+bias+tanh, logit.weight, logit.bias) -> logit/matmul+bias  [matmul+bias@direct|f32[batch,8];f32[1,8];f32[1]->f32[batch,1]|transA=false,transB=true]
// forward 2: sigmoid(logit/matmul+bias) -> probability/sigmoid  [sigmoid|f32[batch,1]->f32[batch,1]|]
// backward 0: sigmoid_binary_cross_entropy_loss(logit/matmul+bias, target) -> loss/sigmoid_binary_cross_entropy_loss, loss/sigmoid_binary_cross_entropy_loss:1  [sigmoid_binary_cross_entropy_loss|f32[batch,1];f32[batch,1]->f32[];f32[batch,1]|]
// backward 1: sum_to(loss/sigmoid_binary_cross_entropy_loss:1) -> logit/sum_to  [sum_to|f32[batch,1]->f32[1]|shape=[1]]
// backward 2: matmul(loss/sigmoid_binary_cross_entropy_loss:1, logit.weight) -> logit/matmul  [matmul@direct|f32[batch,1];f32[1,8]->f32[batch,8]|transA=false,transB=false]
// backward 3: matmul(loss/sigmoid_binary_cross_entropy_loss:1, hidden/matmul+bias+tanh) -> logit/matmul#2  [matmul@direct|f32[batch,1];f32[batch,8]->f32[1,8]|transA=true,transB=false]
// backward 4: tanh_grad(logit/matmul, hidden/matmul+bias+tanh) -> hidden/tanh_grad  [tanh_grad|f32[batch,8];f32[batch,8]->f32[batch,8]|]
// backward 5: sum_to(hidden/tanh_grad) -> hidden/sum_to  [sum_to|f32[batch,8]->f32[8]|shape=[8]]
// backward 6: matmul(hidden/tanh_grad, x) -> hidden/matmul  [matmul@direct|f32[batch,8];f32[batch,2]->f32[8,2]|transA=true,transB=false]
// update 0: sgd_update(hidden.weight, hidden/matmul, hidden.weight.velocity) -> hidden.weight, hidden.weight.velocity  [sgd_update|f32[8,2];f32[8,2];f32[8,2]->f32[8,2];f32[8,2]|momentum=0.9,nesterov=false]
// update 1: sgd_update(hidden.bias, hidden/sum_to, hidden.bias.velocity) -> hidden.bias, hidden.bias.velocity  [sgd_update|f32[8];f32[8];f32[8]->f32[8];f32[8]|momentum=0.9,nesterov=false]
// update 2: sgd_update(logit.weight, logit/matmul#2, logit.weight.velocity) -> logit.weight, logit.weight.velocity  [sgd_update|f32[1,8];f32[1,8];f32[1,8]->f32[1,8];f32[1,8]|momentum=0.9,nesterov=false]
// update 3: sgd_update(logit.bias, logit/sum_to, logit.bias.velocity) -> logit.bias, logit.bias.velocity  [sgd_update|f32[1];f32[1];f32[1]->f32[1];f32[1]|momentum=0.9,nesterov=false]

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

// ── program matmul+bias@direct|f32[batch,8];f32[1,8];f32[1]->f32[batch,1]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil(batch/64), 1, 1]
// params M=batch, N=1, K=8, lda=8, ldb=8
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

// ── program sigmoid|f32[batch,1]->f32[batch,1]|
// workgroup 256×1×1, dispatch [ceil(batch/256), 1, 1]
// params count=batch
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

fn nn_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn act_sigmoid(x: f32) -> f32 {
  return nn_sigmoid(x);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    y[i] = act_sigmoid(x[i]);
  }
}

// ── program sigmoid_binary_cross_entropy_loss|f32[batch,1];f32[batch,1]->f32[];f32[batch,1]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=batch
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> tgt: array<f32>;
@group(0) @binding(2) var<storage, read_write> loss_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn nn_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  var acc = 0.0;
  for (var i = lid.x; i < P.count; i += 256u) {
    let p = pred[i];
    let t = tgt[i];
    let d = p - t;
    let loss = max(p, 0.0) - p * t + log(1.0 + exp(-abs(p)));
    let grad = nn_sigmoid(p) - t;
    dpred[i] = grad / f32(P.count);
    acc += loss;
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

// ── program sum_to|f32[batch,1]->f32[1]|shape=[1]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=1, rows=batch
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

// ── program matmul@direct|f32[batch,1];f32[1,8]->f32[batch,8]|transA=false,transB=false
// workgroup 64×1×1, dispatch [ceil((batch*8)/64), 1, 1]
// params M=batch, N=8, K=1, lda=1, ldb=8
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

// ── program matmul@direct|f32[batch,1];f32[batch,8]->f32[1,8]|transA=true,transB=false
// workgroup 64×1×1, dispatch [1, 1, 1]
// params M=1, N=8, K=batch, lda=1, ldb=8
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

// ── program sgd_update|f32[8,2];f32[8,2];f32[8,2]->f32[8,2];f32[8,2]|momentum=0.9,nesterov=false
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=16
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;
@group(0) @binding(4) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let v = 0.9 * velocity[i] - R.lr * g;
    velocity[i] = v;
    param[i] += v;
  }
}

// ── program sgd_update|f32[8];f32[8];f32[8]->f32[8];f32[8]|momentum=0.9,nesterov=false
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=8
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;
@group(0) @binding(4) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let v = 0.9 * velocity[i] - R.lr * g;
    velocity[i] = v;
    param[i] += v;
  }
}

// ── program sgd_update|f32[1,8];f32[1,8];f32[1,8]->f32[1,8];f32[1,8]|momentum=0.9,nesterov=false
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=8
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;
@group(0) @binding(4) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let v = 0.9 * velocity[i] - R.lr * g;
    velocity[i] = v;
    param[i] += v;
  }
}

// ── program sgd_update|f32[1];f32[1];f32[1]->f32[1];f32[1]|momentum=0.9,nesterov=false
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=1
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;
@group(0) @binding(4) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let v = 0.9 * velocity[i] - R.lr * g;
    velocity[i] = v;
    param[i] += v;
  }
}
