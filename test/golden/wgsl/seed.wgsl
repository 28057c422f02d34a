// Seed: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul+bias+sigmoid(x, h.weight, h.bias) -> h/matmul+bias+sigmoid  [matmul+bias+sigmoid@direct|f32[batch,3];f32[4,3];f32[4]->f32[batch,4]|transA=false,transB=true]
// forward 1: matmul+bias+sigmoid(h/matmul+bias+sigmoid, y.weight, y.bias) -> y/matmul+bias+sigmoid  [matmul+bias+sigmoid@direct|f32[batch,4];f32[2,4];f32[2]->f32[batch,2]|transA=false,transB=true]

// ── program matmul+bias+sigmoid@direct|f32[batch,3];f32[4,3];f32[4]->f32[batch,4]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*4)/64), 1, 1]
// params M=batch, N=4, K=3, lda=3, ldb=3
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

// ── program matmul+bias+sigmoid@direct|f32[batch,4];f32[2,4];f32[2]->f32[batch,2]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*2)/64), 1, 1]
// params M=batch, N=2, K=4, lda=4, ldb=4
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
