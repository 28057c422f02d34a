// Digits: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: reshape(image) -> flat/reshape  [reshape|f32[batch,28,28]->f32[batch,784]|shape=["batch",784]]
// forward 1: matmul+bias+relu(flat/reshape, h.weight, h.bias) -> h/matmul+bias+relu  [matmul+bias+relu@tiled|f32[batch,784];f32[32,784];f32[32]->f32[batch,32]|transA=false,transB=true]
// forward 2: matmul+bias(h/matmul+bias+relu, logits.weight, logits.bias) -> logits/matmul+bias  [matmul+bias@direct|f32[batch,32];f32[10,32];f32[10]->f32[batch,10]|transA=false,transB=true]
// backward 0: sparse_softmax_cross_entropy_loss(logits/matmul+bias, label) -> loss/sparse_softmax_cross_entropy_loss, loss/sparse_softmax_cross_entropy_loss:1  [sparse_softmax_cross_entropy_loss|f32[batch,10];i32[batch]->f32[];f32[batch,10]|]
// backward 1: sum_to(loss/sparse_softmax_cross_entropy_loss:1) -> logits/sum_to  [sum_to|f32[batch,10]->f32[10]|shape=[10]]
// backward 2: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits.weight) -> logits/matmul  [matmul@tiled|f32[batch,10];f32[10,32]->f32[batch,32]|transA=false,transB=false]
// backward 3: matmul(loss/sparse_softmax_cross_entropy_loss:1, h/matmul+bias+relu) -> logits/matmul#2  [matmul@direct|f32[batch,10];f32[batch,32]->f32[10,32]|transA=true,transB=false]
// backward 4: relu_grad(logits/matmul, h/matmul+bias+relu) -> h/relu_grad  [relu_grad|f32[batch,32];f32[batch,32]->f32[batch,32]|]
// backward 5: sum_to(h/relu_grad) -> h/sum_to  [sum_to|f32[batch,32]->f32[32]|shape=[32]]
// backward 6: matmul(h/relu_grad, flat/reshape) -> h/matmul  [matmul@tiled|f32[batch,32];f32[batch,784]->f32[32,784]|transA=true,transB=false]
// update 0: adam_update(h.weight, h/matmul, h.weight.m, h.weight.v) -> h.weight, h.weight.m, h.weight.v  [adam_update|f32[32,784];f32[32,784];f32[32,784];f32[32,784]->f32[32,784];f32[32,784];f32[32,784]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 1: adam_update(h.bias, h/sum_to, h.bias.m, h.bias.v) -> h.bias, h.bias.m, h.bias.v  [adam_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 2: adam_update(logits.weight, logits/matmul#2, logits.weight.m, logits.weight.v) -> logits.weight, logits.weight.m, logits.weight.v  [adam_update|f32[10,32];f32[10,32];f32[10,32];f32[10,32]->f32[10,32];f32[10,32];f32[10,32]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 3: adam_update(logits.bias, logits/sum_to, logits.bias.m, logits.bias.v) -> logits.bias, logits.bias.m, logits.bias.v  [adam_update|f32[10];f32[10];f32[10];f32[10]->f32[10];f32[10];f32[10]|beta1=0.9,beta2=0.999,epsilon=1e-7]

// ── program reshape|f32[batch,28,28]->f32[batch,784]|shape=["batch",784]
// workgroup 256×1×1, dispatch [ceil((batch*784)/256), 1, 1]
// params count=batch*784
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    y[i] = x[i];
  }
}

// ── program matmul+bias+relu@tiled|f32[batch,784];f32[32,784];f32[32]->f32[batch,32]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=32, K=784, lda=784, ldb=784
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


const TK = 16u;
var<workgroup> tileA: array<array<f32, 64>, 16>;
var<workgroup> tileB: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < P.K; k0 += TK) {
    for (var e = tid; e < 1024u; e += 256u) {
      let mm = e / TK;
      let kk = e % TK;
      let m = row0 + mm;
      let k = k0 + kk;
      var va = 0.0;
      if (m < P.M && k < P.K) { va = load_a(m, k); }
      tileA[kk][mm] = va;
      let nn = e % 64u;
      let kb = e / 64u;
      let n = col0 + nn;
      let k2 = k0 + kb;
      var vb = 0.0;
      if (n < P.N && k2 < P.K) { vb = load_b(k2, n); }
      tileB[kb][nn] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var ra: array<f32, 4>;
      var rb: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        ra[i] = tileA[kk][lid.y + 16u * i];
        rb[i] = tileB[kk][lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = fma(ra[i], rb[j], acc[i][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + lid.y + 16u * i;
    if (m >= P.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = col0 + lid.x + 16u * j;
      if (n < P.N) { store(m, n, acc[i][j]); }
    }
  }
}

// ── program matmul+bias@direct|f32[batch,32];f32[10,32];f32[10]->f32[batch,10]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*10)/64), 1, 1]
// params M=batch, N=10, K=32, lda=32, ldb=32
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

// ── program sparse_softmax_cross_entropy_loss|f32[batch,10];i32[batch]->f32[];f32[batch,10]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=batch, width=10
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

// ── program sum_to|f32[batch,10]->f32[10]|shape=[10]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=10, rows=batch
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

// ── program matmul@tiled|f32[batch,10];f32[10,32]->f32[batch,32]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=32, K=10, lda=10, ldb=32
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


const TK = 16u;
var<workgroup> tileA: array<array<f32, 64>, 16>;
var<workgroup> tileB: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < P.K; k0 += TK) {
    for (var e = tid; e < 1024u; e += 256u) {
      let mm = e / TK;
      let kk = e % TK;
      let m = row0 + mm;
      let k = k0 + kk;
      var va = 0.0;
      if (m < P.M && k < P.K) { va = load_a(m, k); }
      tileA[kk][mm] = va;
      let nn = e % 64u;
      let kb = e / 64u;
      let n = col0 + nn;
      let k2 = k0 + kb;
      var vb = 0.0;
      if (n < P.N && k2 < P.K) { vb = load_b(k2, n); }
      tileB[kb][nn] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var ra: array<f32, 4>;
      var rb: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        ra[i] = tileA[kk][lid.y + 16u * i];
        rb[i] = tileB[kk][lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = fma(ra[i], rb[j], acc[i][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + lid.y + 16u * i;
    if (m >= P.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = col0 + lid.x + 16u * j;
      if (n < P.N) { store(m, n, acc[i][j]); }
    }
  }
}

// ── program matmul@direct|f32[batch,10];f32[batch,32]->f32[10,32]|transA=true,transB=false
// workgroup 64×1×1, dispatch [5, 1, 1]
// params M=10, N=32, K=batch, lda=10, ldb=32
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

// ── program relu_grad|f32[batch,32];f32[batch,32]->f32[batch,32]|
// workgroup 256×1×1, dispatch [ceil((batch*32)/256), 1, 1]
// params count=batch*32
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

// ── program sum_to|f32[batch,32]->f32[32]|shape=[32]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=32, rows=batch
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

// ── program matmul@tiled|f32[batch,32];f32[batch,784]->f32[32,784]|transA=true,transB=false
// workgroup 16×16×1, dispatch [13, 1, 1]
// params M=32, N=784, K=batch, lda=32, ldb=784
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


const TK = 16u;
var<workgroup> tileA: array<array<f32, 64>, 16>;
var<workgroup> tileB: array<array<f32, 64>, 16>;

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<f32, 4>, 4>;
  for (var k0 = 0u; k0 < P.K; k0 += TK) {
    for (var e = tid; e < 1024u; e += 256u) {
      let mm = e / TK;
      let kk = e % TK;
      let m = row0 + mm;
      let k = k0 + kk;
      var va = 0.0;
      if (m < P.M && k < P.K) { va = load_a(m, k); }
      tileA[kk][mm] = va;
      let nn = e % 64u;
      let kb = e / 64u;
      let n = col0 + nn;
      let k2 = k0 + kb;
      var vb = 0.0;
      if (n < P.N && k2 < P.K) { vb = load_b(k2, n); }
      tileB[kb][nn] = vb;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var ra: array<f32, 4>;
      var rb: array<f32, 4>;
      for (var i = 0u; i < 4u; i++) {
        ra[i] = tileA[kk][lid.y + 16u * i];
        rb[i] = tileB[kk][lid.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          acc[i][j] = fma(ra[i], rb[j], acc[i][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    let m = row0 + lid.y + 16u * i;
    if (m >= P.M) { continue; }
    for (var j = 0u; j < 4u; j++) {
      let n = col0 + lid.x + 16u * j;
      if (n < P.N) { store(m, n, acc[i][j]); }
    }
  }
}

// ── program adam_update|f32[32,784];f32[32,784];f32[32,784];f32[32,784]->f32[32,784];f32[32,784];f32[32,784]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [98, 1, 1]
// params count=25088
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

// ── program adam_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=32
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

// ── program adam_update|f32[10,32];f32[10,32];f32[10,32];f32[10,32]->f32[10,32];f32[10,32];f32[10,32]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [2, 1, 1]
// params count=320
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

// ── program adam_update|f32[10];f32[10];f32[10];f32[10]->f32[10];f32[10];f32[10]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=10
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
