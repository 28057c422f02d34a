// Iris: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul+bias+relu(features, logits/dense.weight, logits/dense.bias) -> logits/dense/matmul+bias+relu  [matmul+bias+relu@direct|f32[batch,4];f32[16,4];f32[16]->f32[batch,16]|transA=false,transB=true]
// forward 1: matmul+bias+relu(logits/dense/matmul+bias+relu, logits/dense_2.weight, logits/dense_2.bias) -> logits/dense_2/matmul+bias+relu  [matmul+bias+relu@direct|f32[batch,16];f32[16,16];f32[16]->f32[batch,16]|transA=false,transB=true]
// forward 2: matmul+bias(logits/dense_2/matmul+bias+relu, logits.weight, logits.bias) -> logits/matmul+bias  [matmul+bias@direct|f32[batch,16];f32[3,16];f32[3]->f32[batch,3]|transA=false,transB=true]
// forward 3: softmax(logits/matmul+bias) -> probabilities/softmax  [softmax|f32[batch,3]->f32[batch,3]|]
// backward 0: sparse_softmax_cross_entropy_loss(logits/matmul+bias, species) -> loss/sparse_softmax_cross_entropy_loss, loss/sparse_softmax_cross_entropy_loss:1  [sparse_softmax_cross_entropy_loss|f32[batch,3];i32[batch]->f32[];f32[batch,3]|]
// backward 1: sum_to(loss/sparse_softmax_cross_entropy_loss:1) -> logits/sum_to  [sum_to|f32[batch,3]->f32[3]|shape=[3]]
// backward 2: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits.weight) -> logits/matmul  [matmul@direct|f32[batch,3];f32[3,16]->f32[batch,16]|transA=false,transB=false]
// backward 3: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits/dense_2/matmul+bias+relu) -> logits/matmul#2  [matmul@direct|f32[batch,3];f32[batch,16]->f32[3,16]|transA=true,transB=false]
// backward 4: relu_grad(logits/matmul, logits/dense_2/matmul+bias+relu) -> logits/dense_2/relu_grad  [relu_grad|f32[batch,16];f32[batch,16]->f32[batch,16]|]
// backward 5: sum_to(logits/dense_2/relu_grad) -> logits/dense_2/sum_to  [sum_to|f32[batch,16]->f32[16]|shape=[16]]
// backward 6: matmul(logits/dense_2/relu_grad, logits/dense_2.weight) -> logits/dense_2/matmul  [matmul@direct|f32[batch,16];f32[16,16]->f32[batch,16]|transA=false,transB=false]
// backward 7: matmul(logits/dense_2/relu_grad, logits/dense/matmul+bias+relu) -> logits/dense_2/matmul#2  [matmul@direct|f32[batch,16];f32[batch,16]->f32[16,16]|transA=true,transB=false]
// backward 8: relu_grad(logits/dense_2/matmul, logits/dense/matmul+bias+relu) -> logits/dense/relu_grad  [relu_grad|f32[batch,16];f32[batch,16]->f32[batch,16]|]
// backward 9: sum_to(logits/dense/relu_grad) -> logits/dense/sum_to  [sum_to|f32[batch,16]->f32[16]|shape=[16]]
// backward 10: matmul(logits/dense/relu_grad, features) -> logits/dense/matmul  [matmul@direct|f32[batch,16];f32[batch,4]->f32[16,4]|transA=true,transB=false]
// update 0: adam_update(logits/dense.weight, logits/dense/matmul, logits/dense.weight.m, logits/dense.weight.v) -> logits/dense.weight, logits/dense.weight.m, logits/dense.weight.v  [adam_update|f32[16,4];f32[16,4];f32[16,4];f32[16,4]->f32[16,4];f32[16,4];f32[16,4]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 1: adam_update(logits/dense.bias, logits/dense/sum_to, logits/dense.bias.m, logits/dense.bias.v) -> logits/dense.bias, logits/dense.bias.m, logits/dense.bias.v  [adam_update|f32[16];f32[16];f32[16];f32[16]->f32[16];f32[16];f32[16]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 2: adam_update(logits/dense_2.weight, logits/dense_2/matmul#2, logits/dense_2.weight.m, logits/dense_2.weight.v) -> logits/dense_2.weight, logits/dense_2.weight.m, logits/dense_2.weight.v  [adam_update|f32[16,16];f32[16,16];f32[16,16];f32[16,16]->f32[16,16];f32[16,16];f32[16,16]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 3: adam_update(logits/dense_2.bias, logits/dense_2/sum_to, logits/dense_2.bias.m, logits/dense_2.bias.v) -> logits/dense_2.bias, logits/dense_2.bias.m, logits/dense_2.bias.v  [adam_update|f32[16];f32[16];f32[16];f32[16]->f32[16];f32[16];f32[16]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 4: adam_update(logits.weight, logits/matmul#2, logits.weight.m, logits.weight.v) -> logits.weight, logits.weight.m, logits.weight.v  [adam_update|f32[3,16];f32[3,16];f32[3,16];f32[3,16]->f32[3,16];f32[3,16];f32[3,16]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 5: adam_update(logits.bias, logits/sum_to, logits.bias.m, logits.bias.v) -> logits.bias, logits.bias.m, logits.bias.v  [adam_update|f32[3];f32[3];f32[3];f32[3]->f32[3];f32[3];f32[3]|beta1=0.9,beta2=0.999,epsilon=1e-7]

// ── program matmul+bias+relu@direct|f32[batch,4];f32[16,4];f32[16]->f32[batch,16]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*16)/64), 1, 1]
// params M=batch, N=16, K=4, lda=4, ldb=4
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn act_relu(x: f32) -> f32 {
  return max(x, 0.0);
}

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  v = act_relu(v);
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

// ── program matmul+bias+relu@direct|f32[batch,16];f32[16,16];f32[16]->f32[batch,16]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*16)/64), 1, 1]
// params M=batch, N=16, K=16, lda=16, ldb=16
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn act_relu(x: f32) -> f32 {
  return max(x, 0.0);
}

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  v = act_relu(v);
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

// ── program matmul+bias@direct|f32[batch,16];f32[3,16];f32[3]->f32[batch,3]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*3)/64), 1, 1]
// params M=batch, N=3, K=16, lda=16, ldb=16
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

// ── program softmax|f32[batch,3]->f32[batch,3]|
// workgroup 256×1×1, dispatch [ceil(batch/256), 1, 1]
// params count=batch, width=3
struct Params { count: u32, width: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let base = i * P.width;
    
    var mx = x[base];
    for (var j = 1u; j < P.width; j++) { mx = max(mx, x[base + j]); }
    var total = 0.0;
    for (var j = 0u; j < P.width; j++) { total += exp(x[base + j] - mx); }
    for (var j = 0u; j < P.width; j++) { y[base + j] = exp(x[base + j] - mx) / total; }
  }
}

// ── program sparse_softmax_cross_entropy_loss|f32[batch,3];i32[batch]->f32[];f32[batch,3]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=batch, width=3
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

// ── program sum_to|f32[batch,3]->f32[3]|shape=[3]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=3, rows=batch
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

// ── program matmul@direct|f32[batch,3];f32[3,16]->f32[batch,16]|transA=false,transB=false
// workgroup 64×1×1, dispatch [ceil((batch*16)/64), 1, 1]
// params M=batch, N=16, K=3, lda=3, ldb=16
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

// ── program matmul@direct|f32[batch,3];f32[batch,16]->f32[3,16]|transA=true,transB=false
// workgroup 64×1×1, dispatch [1, 1, 1]
// params M=3, N=16, K=batch, lda=3, ldb=16
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

// ── program relu_grad|f32[batch,16];f32[batch,16]->f32[batch,16]|
// workgroup 256×1×1, dispatch [ceil((batch*16)/256), 1, 1]
// params count=batch*16
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn grad_relu(dy: f32, v: f32) -> f32 {
  return select(0.0, dy, v > 0.0);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    dx[i] = grad_relu(dy[i], v[i]);
  }
}

// ── program sum_to|f32[batch,16]->f32[16]|shape=[16]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=16, rows=batch
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

// ── program matmul@direct|f32[batch,16];f32[16,16]->f32[batch,16]|transA=false,transB=false
// workgroup 64×1×1, dispatch [ceil((batch*16)/64), 1, 1]
// params M=batch, N=16, K=16, lda=16, ldb=16
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

// ── program matmul@direct|f32[batch,16];f32[batch,16]->f32[16,16]|transA=true,transB=false
// workgroup 64×1×1, dispatch [4, 1, 1]
// params M=16, N=16, K=batch, lda=16, ldb=16
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

// ── program matmul@direct|f32[batch,16];f32[batch,4]->f32[16,4]|transA=true,transB=false
// workgroup 64×1×1, dispatch [1, 1, 1]
// params M=16, N=4, K=batch, lda=16, ldb=4
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

// ── program adam_update|f32[16,4];f32[16,4];f32[16,4];f32[16,4]->f32[16,4];f32[16,4];f32[16,4]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64
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

// ── program adam_update|f32[16];f32[16];f32[16];f32[16]->f32[16];f32[16];f32[16]|beta1=0.9,beta2=0.999,epsilon=1e-7
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

// ── program adam_update|f32[16,16];f32[16,16];f32[16,16];f32[16,16]->f32[16,16];f32[16,16];f32[16,16]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=256
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

// ── program adam_update|f32[3,16];f32[3,16];f32[3,16];f32[3,16]->f32[3,16];f32[3,16];f32[3,16]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=48
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

// ── program adam_update|f32[3];f32[3];f32[3];f32[3]->f32[3];f32[3];f32[3]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=3
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
