// Seed: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul(x, h.weight) -> h/matmul  [matmul@direct|f32[batch,3];f32[4,3]->f32[batch,4]|transA=false,transB=true]
// forward 1: bias_add(h/matmul, h.bias) -> h/bias_add  [bias_add|f32[batch,4];f32[4]->f32[batch,4]|]
// forward 2: sigmoid(h/bias_add) -> h/sigmoid  [sigmoid|f32[batch,4]->f32[batch,4]|]
// forward 3: matmul(h/sigmoid, y.weight) -> y/matmul  [matmul@direct|f32[batch,4];f32[2,4]->f32[batch,2]|transA=false,transB=true]
// forward 4: bias_add(y/matmul, y.bias) -> y/bias_add  [bias_add|f32[batch,2];f32[2]->f32[batch,2]|]
// forward 5: sigmoid(y/bias_add) -> y/sigmoid  [sigmoid|f32[batch,2]->f32[batch,2]|]

// ── program matmul@direct|f32[batch,3];f32[4,3]->f32[batch,4]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*4)/64), 1, 1]
// params M=batch, N=4, K=3, lda=3, ldb=3
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

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

// ── program bias_add|f32[batch,4];f32[4]->f32[batch,4]|
// workgroup 256×1×1, dispatch [ceil((batch*4)/256), 1, 1]
// params count=batch*4, width=4
struct Params { count: u32, width: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    y[i] = x[i] + bias[i % P.width];
  }
}

// ── program sigmoid|f32[batch,4]->f32[batch,4]|
// workgroup 256×1×1, dispatch [ceil((batch*4)/256), 1, 1]
// params count=batch*4
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

// ── program matmul@direct|f32[batch,4];f32[2,4]->f32[batch,2]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*2)/64), 1, 1]
// params M=batch, N=2, K=4, lda=4, ldb=4
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

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

// ── program bias_add|f32[batch,2];f32[2]->f32[batch,2]|
// workgroup 256×1×1, dispatch [ceil((batch*2)/256), 1, 1]
// params count=batch*2, width=2
struct Params { count: u32, width: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    y[i] = x[i] + bias[i % P.width];
  }
}

// ── program sigmoid|f32[batch,2]->f32[batch,2]|
// workgroup 256×1×1, dispatch [ceil((batch*2)/256), 1, 1]
// params count=batch*2
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
