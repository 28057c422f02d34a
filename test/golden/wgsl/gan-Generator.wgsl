// Generator: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul+bias+leaky_relu(z, image/dense.weight, image/dense.bias) -> image/dense/matmul+bias+leaky_relu  [matmul+bias+leaky_relu@tiled|f32[batch,32];f32[128,32];f32[128]->f32[batch,128]|alpha=0.2,transA=false,transB=true]
// forward 1: batchnorm(image/dense/matmul+bias+leaky_relu, image/batchnorm.gamma, image/batchnorm.beta, image/batchnorm.running_mean, image/batchnorm.running_var) -> image/batchnorm/batchnorm, image/batchnorm/batchnorm:1, image/batchnorm/batchnorm:2  [batchnorm|f32[batch,128];f32[128];f32[128];f32[128];f32[128]->f32[batch,128];f32[128];f32[128]|epsilon=0.001,momentum=0.99]
// forward 2: matmul+bias+sigmoid(image/batchnorm/batchnorm, image/dense_2.weight, image/dense_2.bias) -> image/dense_2/matmul+bias+sigmoid  [matmul+bias+sigmoid@tiled|f32[batch,128];f32[784,128];f32[784]->f32[batch,784]|transA=false,transB=true]
// forward 3: reshape(image/dense_2/matmul+bias+sigmoid) -> image/reshape  [reshape|f32[batch,784]->f32[batch,28,28]|shape=["batch",28,28]]

// ── program matmul+bias+leaky_relu@tiled|f32[batch,32];f32[128,32];f32[128]->f32[batch,128]|alpha=0.2,transA=false,transB=true
// workgroup 16×16×1, dispatch [2, ceil(batch/64), 1]
// params M=batch, N=128, K=32, lda=32, ldb=32
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn act_leaky_relu(x: f32) -> f32 {
  return select(0.2 * x, x, x > 0.0);
}

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  v = act_leaky_relu(v);
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

// ── program batchnorm|f32[batch,128];f32[128];f32[128];f32[128];f32[128]->f32[batch,128];f32[128];f32[128]|epsilon=0.001,momentum=0.99
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=128, rows=batch
struct Params { count: u32, rows: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> running_mean: array<f32>;
@group(0) @binding(4) var<storage, read_write> running_var: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
@group(0) @binding(6) var<storage, read_write> mean: array<f32>;
@group(0) @binding(7) var<storage, read_write> invstd: array<f32>;
@group(0) @binding(8) var<uniform> P: Params;
@group(0) @binding(9) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    var mu = 0.0;
    var inv = 0.0;
    if (R.training == 1u) {
      for (var r = 0u; r < P.rows; r++) { mu += x[r * P.count + i]; }
      mu = mu / f32(P.rows);
      var vr = 0.0;
      for (var r = 0u; r < P.rows; r++) { let d = x[r * P.count + i] - mu; vr += d * d; }
      inv = inverseSqrt(vr / f32(P.rows) + 0.001);
      let unbiased = vr / f32(max(P.rows, 2u) - 1u);
      running_mean[i] = 0.99 * running_mean[i] + (1.0 - 0.99) * mu;
      running_var[i] = 0.99 * running_var[i] + (1.0 - 0.99) * unbiased;
    } else {
      mu = running_mean[i];
      inv = inverseSqrt(running_var[i] + 0.001);
    }
    mean[i] = mu;
    invstd[i] = inv;
    for (var r = 0u; r < P.rows; r++) {
      let at = r * P.count + i;
      y[at] = gamma[i] * (x[at] - mu) * inv + beta[i];
    }
  }
}

// ── program matmul+bias+sigmoid@tiled|f32[batch,128];f32[784,128];f32[784]->f32[batch,784]|transA=false,transB=true
// workgroup 16×16×1, dispatch [13, ceil(batch/64), 1]
// params M=batch, N=784, K=128, lda=128, ldb=128
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

fn nn_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn act_sigmoid(x: f32) -> f32 {
  return nn_sigmoid(x);
}

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  v = act_sigmoid(v);
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

// ── program reshape|f32[batch,784]->f32[batch,28,28]|shape=["batch",28,28]
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
