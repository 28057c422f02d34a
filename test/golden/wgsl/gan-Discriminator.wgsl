// Discriminator: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: reshape(image) -> score/flatten/reshape  [reshape|f32[batch,28,28]->f32[batch,784]|shape=["batch",784]]
// forward 1: matmul+bias+leaky_relu(score/flatten/reshape, score/dense.weight, score/dense.bias) -> score/dense/matmul+bias+leaky_relu  [matmul+bias+leaky_relu@tiled|f32[batch,784];f32[128,784];f32[128]->f32[batch,128]|alpha=0.2,transA=false,transB=true]
// forward 2: dropout(score/dense/matmul+bias+leaky_relu) -> score/dropout/dropout, score/dropout/dropout:1  [dropout|f32[batch,128]->f32[batch,128];f32[batch,128]|rate=0.3,seed=5]
// forward 3: matmul+bias(score/dropout/dropout, score.weight, score.bias) -> score/matmul+bias  [matmul+bias@direct|f32[batch,128];f32[1,128];f32[1]->f32[batch,1]|transA=false,transB=true]

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

// ── program matmul+bias+leaky_relu@tiled|f32[batch,784];f32[128,784];f32[128]->f32[batch,128]|alpha=0.2,transA=false,transB=true
// workgroup 16×16×1, dispatch [2, ceil(batch/64), 1]
// params M=batch, N=128, K=784, lda=784, ldb=784
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

// ── program dropout|f32[batch,128]->f32[batch,128];f32[batch,128]|rate=0.3,seed=5
// workgroup 256×1×1, dispatch [ceil((batch*128)/256), 1, 1]
// params count=batch*128
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
      let u = f32(pcg(i ^ pcg(R.seed ^ pcg(5u))) >> 8u) / 16777216.0;
      let m = select(0.0, 1.4285714285714286, u >= 0.3);
      mask[i] = m;
      y[i] = x[i] * m;
    } else {
      mask[i] = 1.0;
      y[i] = x[i];
    }
  }
}

// ── program matmul+bias@direct|f32[batch,128];f32[1,128];f32[1]->f32[batch,1]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil(batch/64), 1, 1]
// params M=batch, N=1, K=128, lda=128, ldb=128
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
