// DigitsMlp: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: reshape(image) -> logits/flatten/reshape  [reshape|f32[batch,28,28]->f32[batch,784]|shape=["batch",784]]
// forward 1: matmul+bias+relu(logits/flatten/reshape, logits/dense.weight, logits/dense.bias) -> logits/dense/matmul+bias+relu  [matmul+bias+relu@tiled|f32[batch,784];f32[512,784];f32[512]->f32[batch,512]|transA=false,transB=true]
// forward 2: dropout(logits/dense/matmul+bias+relu) -> logits/dropout/dropout, logits/dropout/dropout:1  [dropout|f32[batch,512]->f32[batch,512];f32[batch,512]|rate=0.3,seed=6]
// forward 3: matmul+bias+relu(logits/dropout/dropout, logits/dense_2.weight, logits/dense_2.bias) -> logits/dense_2/matmul+bias+relu  [matmul+bias+relu@tiled|f32[batch,512];f32[256,512];f32[256]->f32[batch,256]|transA=false,transB=true]
// forward 4: dropout(logits/dense_2/matmul+bias+relu) -> logits/dropout_2/dropout, logits/dropout_2/dropout:1  [dropout|f32[batch,256]->f32[batch,256];f32[batch,256]|rate=0.3,seed=10]
// forward 5: matmul+bias(logits/dropout_2/dropout, logits.weight, logits.bias) -> logits/matmul+bias  [matmul+bias@direct|f32[batch,256];f32[10,256];f32[10]->f32[batch,10]|transA=false,transB=true]
// forward 6: softmax(logits/matmul+bias) -> probs/softmax  [softmax|f32[batch,10]->f32[batch,10]|]
// backward 0: sparse_softmax_cross_entropy_loss(logits/matmul+bias, label) -> loss/sparse_softmax_cross_entropy_loss, loss/sparse_softmax_cross_entropy_loss:1  [sparse_softmax_cross_entropy_loss|f32[batch,10];i32[batch]->f32[];f32[batch,10]|]
// backward 1: sum_to(loss/sparse_softmax_cross_entropy_loss:1) -> logits/sum_to  [sum_to|f32[batch,10]->f32[10]|shape=[10]]
// backward 2: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits.weight) -> logits/matmul  [matmul@tiled|f32[batch,10];f32[10,256]->f32[batch,256]|transA=false,transB=false]
// backward 3: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits/dropout_2/dropout) -> logits/matmul#2  [matmul@direct|f32[batch,10];f32[batch,256]->f32[10,256]|transA=true,transB=false]
// backward 4: dropout_grad(logits/matmul, logits/dropout_2/dropout:1) -> logits/dropout_2/dropout_grad  [dropout_grad|f32[batch,256];f32[batch,256]->f32[batch,256]|]
// backward 5: relu_grad(logits/dropout_2/dropout_grad, logits/dense_2/matmul+bias+relu) -> logits/dense_2/relu_grad  [relu_grad|f32[batch,256];f32[batch,256]->f32[batch,256]|]
// backward 6: sum_to(logits/dense_2/relu_grad) -> logits/dense_2/sum_to  [sum_to|f32[batch,256]->f32[256]|shape=[256]]
// backward 7: matmul(logits/dense_2/relu_grad, logits/dense_2.weight) -> logits/dense_2/matmul  [matmul@tiled|f32[batch,256];f32[256,512]->f32[batch,512]|transA=false,transB=false]
// backward 8: matmul(logits/dense_2/relu_grad, logits/dropout/dropout) -> logits/dense_2/matmul#2  [matmul@tiled|f32[batch,256];f32[batch,512]->f32[256,512]|transA=true,transB=false]
// backward 9: dropout_grad(logits/dense_2/matmul, logits/dropout/dropout:1) -> logits/dropout/dropout_grad  [dropout_grad|f32[batch,512];f32[batch,512]->f32[batch,512]|]
// backward 10: relu_grad(logits/dropout/dropout_grad, logits/dense/matmul+bias+relu) -> logits/dense/relu_grad  [relu_grad|f32[batch,512];f32[batch,512]->f32[batch,512]|]
// backward 11: sum_to(logits/dense/relu_grad) -> logits/dense/sum_to  [sum_to|f32[batch,512]->f32[512]|shape=[512]]
// backward 12: matmul(logits/dense/relu_grad, logits/flatten/reshape) -> logits/dense/matmul  [matmul@tiled|f32[batch,512];f32[batch,784]->f32[512,784]|transA=true,transB=false]
// update 0: adam_update(logits/dense.weight, logits/dense/matmul, logits/dense.weight.m, logits/dense.weight.v) -> logits/dense.weight, logits/dense.weight.m, logits/dense.weight.v  [adam_update|f32[512,784];f32[512,784];f32[512,784];f32[512,784]->f32[512,784];f32[512,784];f32[512,784]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 1: adam_update(logits/dense.bias, logits/dense/sum_to, logits/dense.bias.m, logits/dense.bias.v) -> logits/dense.bias, logits/dense.bias.m, logits/dense.bias.v  [adam_update|f32[512];f32[512];f32[512];f32[512]->f32[512];f32[512];f32[512]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 2: adam_update(logits/dense_2.weight, logits/dense_2/matmul#2, logits/dense_2.weight.m, logits/dense_2.weight.v) -> logits/dense_2.weight, logits/dense_2.weight.m, logits/dense_2.weight.v  [adam_update|f32[256,512];f32[256,512];f32[256,512];f32[256,512]->f32[256,512];f32[256,512];f32[256,512]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 3: adam_update(logits/dense_2.bias, logits/dense_2/sum_to, logits/dense_2.bias.m, logits/dense_2.bias.v) -> logits/dense_2.bias, logits/dense_2.bias.m, logits/dense_2.bias.v  [adam_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 4: adam_update(logits.weight, logits/matmul#2, logits.weight.m, logits.weight.v) -> logits.weight, logits.weight.m, logits.weight.v  [adam_update|f32[10,256];f32[10,256];f32[10,256];f32[10,256]->f32[10,256];f32[10,256];f32[10,256]|beta1=0.9,beta2=0.999,epsilon=1e-7]
// update 5: adam_update(logits.bias, logits/sum_to, logits.bias.m, logits.bias.v) -> logits.bias, logits.bias.m, logits.bias.v  [adam_update|f32[10];f32[10];f32[10];f32[10]->f32[10];f32[10];f32[10]|beta1=0.9,beta2=0.999,epsilon=1e-7]

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

// ── program matmul+bias+relu@tiled|f32[batch,784];f32[512,784];f32[512]->f32[batch,512]|transA=false,transB=true
// workgroup 16×16×1, dispatch [8, ceil(batch/64), 1]
// params M=batch, N=512, K=784, lda=784, ldb=784
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

// ── program dropout|f32[batch,512]->f32[batch,512];f32[batch,512]|rate=0.3,seed=6
// workgroup 256×1×1, dispatch [ceil((batch*512)/256), 1, 1]
// params count=batch*512
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> mask: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;
@group(0) @binding(4) var<uniform> R: Runtime;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    if (R.training == 1u) {
      let u = f32(pcg(i ^ pcg(R.seed ^ pcg(6u))) >> 8u) / 16777216.0;
      let m = select(0.0, 1.4285714285714286, u >= 0.3);
      mask[i] = m;
      y[i] = x[i] * m;
    } else {
      mask[i] = 1.0;
      y[i] = x[i];
    }
  }
}

// ── program matmul+bias+relu@tiled|f32[batch,512];f32[256,512];f32[256]->f32[batch,256]|transA=false,transB=true
// workgroup 16×16×1, dispatch [4, ceil(batch/64), 1]
// params M=batch, N=256, K=512, lda=512, ldb=512
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

// ── program dropout|f32[batch,256]->f32[batch,256];f32[batch,256]|rate=0.3,seed=10
// workgroup 256×1×1, dispatch [ceil((batch*256)/256), 1, 1]
// params count=batch*256
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> mask: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;
@group(0) @binding(4) var<uniform> R: Runtime;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    if (R.training == 1u) {
      let u = f32(pcg(i ^ pcg(R.seed ^ pcg(10u))) >> 8u) / 16777216.0;
      let m = select(0.0, 1.4285714285714286, u >= 0.3);
      mask[i] = m;
      y[i] = x[i] * m;
    } else {
      mask[i] = 1.0;
      y[i] = x[i];
    }
  }
}

// ── program matmul+bias@direct|f32[batch,256];f32[10,256];f32[10]->f32[batch,10]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*10)/64), 1, 1]
// params M=batch, N=10, K=256, lda=256, ldb=256
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

// ── program softmax|f32[batch,10]->f32[batch,10]|
// workgroup 256×1×1, dispatch [ceil(batch/256), 1, 1]
// params count=batch, width=10
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

// ── program matmul@tiled|f32[batch,10];f32[10,256]->f32[batch,256]|transA=false,transB=false
// workgroup 16×16×1, dispatch [4, ceil(batch/64), 1]
// params M=batch, N=256, K=10, lda=10, ldb=256
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

// ── program matmul@direct|f32[batch,10];f32[batch,256]->f32[10,256]|transA=true,transB=false
// workgroup 64×1×1, dispatch [40, 1, 1]
// params M=10, N=256, K=batch, lda=10, ldb=256
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

// ── program dropout_grad|f32[batch,256];f32[batch,256]->f32[batch,256]|
// workgroup 256×1×1, dispatch [ceil((batch*256)/256), 1, 1]
// params count=batch*256
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> mask: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    dx[i] = dy[i] * mask[i];
  }
}

// ── program relu_grad|f32[batch,256];f32[batch,256]->f32[batch,256]|
// workgroup 256×1×1, dispatch [ceil((batch*256)/256), 1, 1]
// params count=batch*256
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

// ── program sum_to|f32[batch,256]->f32[256]|shape=[256]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=256, rows=batch
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

// ── program matmul@tiled|f32[batch,256];f32[256,512]->f32[batch,512]|transA=false,transB=false
// workgroup 16×16×1, dispatch [8, ceil(batch/64), 1]
// params M=batch, N=512, K=256, lda=256, ldb=512
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

// ── program matmul@tiled|f32[batch,256];f32[batch,512]->f32[256,512]|transA=true,transB=false
// workgroup 16×16×1, dispatch [8, 4, 1]
// params M=256, N=512, K=batch, lda=256, ldb=512
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

// ── program dropout_grad|f32[batch,512];f32[batch,512]->f32[batch,512]|
// workgroup 256×1×1, dispatch [ceil((batch*512)/256), 1, 1]
// params count=batch*512
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> mask: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    dx[i] = dy[i] * mask[i];
  }
}

// ── program relu_grad|f32[batch,512];f32[batch,512]->f32[batch,512]|
// workgroup 256×1×1, dispatch [ceil((batch*512)/256), 1, 1]
// params count=batch*512
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

// ── program sum_to|f32[batch,512]->f32[512]|shape=[512]
// workgroup 256×1×1, dispatch [2, 1, 1]
// params count=512, rows=batch
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

// ── program matmul@tiled|f32[batch,512];f32[batch,784]->f32[512,784]|transA=true,transB=false
// workgroup 16×16×1, dispatch [13, 8, 1]
// params M=512, N=784, K=batch, lda=512, ldb=784
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

// ── program adam_update|f32[512,784];f32[512,784];f32[512,784];f32[512,784]->f32[512,784];f32[512,784];f32[512,784]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [1568, 1, 1]
// params count=401408
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

// ── program adam_update|f32[512];f32[512];f32[512];f32[512]->f32[512];f32[512];f32[512]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [2, 1, 1]
// params count=512
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

// ── program adam_update|f32[256,512];f32[256,512];f32[256,512];f32[256,512]->f32[256,512];f32[256,512];f32[256,512]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [512, 1, 1]
// params count=131072
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

// ── program adam_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.999,epsilon=1e-7
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

// ── program adam_update|f32[10,256];f32[10,256];f32[10,256];f32[10,256]->f32[10,256];f32[10,256];f32[10,256]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [10, 1, 1]
// params count=2560
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
