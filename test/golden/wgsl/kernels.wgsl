// Representative WGSL kernels of the examples (test/compiler/emit/webgpu/golden-wgsl.test.ts)

// ── program matmul+bias+relu@tiled|f32[batch,784];f32[128,784];f32[128]->f32[batch,128]|transA=false,transB=true
// workgroup 16×16×1, dispatch [2, ceil(batch/64), 1]
// params M=batch, N=128, K=784, lda=784, ldb=784
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

// ── program matmul@direct|f32[batch,10];f32[batch,64]->f32[10,64]|transA=true,transB=false
// workgroup 64×1×1, dispatch [10, 1, 1]
// params M=10, N=64, K=batch, lda=10, ldb=64
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

// ── program conv2d+bias+relu|f32[batch,28,28,1];f32[16,3,3,1];f32[16]->f32[batch,28,28,16]|dilation=[1,1],padding="same",strides=[1,1]
// workgroup 256×1×1, dispatch [ceil((batch*12544)/256), 1, 1]
// params count=batch*12544, N=16
struct Params { count: u32, N: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

const H = 28i;
const W = 28i;
const C = 1i;
const F = 16i;
const KH = 3i;
const KW = 3i;
const OH = 28i;
const OW = 28i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 1i;
const LEFT = 1i;
fn act_relu(x: f32) -> f32 {
  return max(x, 0.0);
}
fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  v = act_relu(v);
  y[m * P.N + n] = v;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let f = i % P.N;
    let pix = i32(i / P.N);
    let ox = pix % OW;
    let oy = (pix / OW) % OH;
    let b = pix / (OW * OH);
    var acc = 0.0;
    for (var ky = 0i; ky < KH; ky++) {
      let iy = oy * SH + ky * DH - TOP;
      if (iy < 0i || iy >= H) { continue; }
      for (var kx = 0i; kx < KW; kx++) {
        let ix = ox * SW + kx * DW - LEFT;
        if (ix < 0i || ix >= W) { continue; }
        let xb = u32(((b * H + iy) * W + ix) * C);
        let wb = u32(((i32(f) * KH + ky) * KW + kx) * C);
        for (var c = 0u; c < u32(C); c++) { acc = fma(x[xb + c], wt[wb + c], acc); }
      }
    }
    store(u32(pix), f, acc);
  }
}

// ── program sum_to|f32[batch,784]->f32[784]|shape=[784]
// workgroup 256×1×1, dispatch [4, 1, 1]
// params count=784, rows=batch
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

// ── program adam_update|f32[128,784];f32[128,784];f32[128,784];f32[128,784]->f32[128,784];f32[128,784];f32[128,784]|beta1=0.9,beta2=0.999,epsilon=1e-7
// workgroup 256×1×1, dispatch [392, 1, 1]
// params count=100352
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

// ── program lstm_scan|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64];f32[batch,seq,384]|return_sequences=true,units=64
// workgroup 256×1×1, dispatch [batch, 1, 1]
// params rows=batch, T=seq
struct Params { rows: u32, T: u32 }
@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> saved: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

const U = 64u;
const G = 256u;
const S = 384u;
const SEQUENCES = true;
fn sigm(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn tanh_s(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
/** (w_hh · h)[g] for one gate row g, h in workgroup memory. */
fn rec(g: u32) -> f32 {
  var acc = 0.0;
  for (var k = 0u; k < U; k++) { acc = fma(w[g * U + k], hs[k], acc); }
  return acc;
}

var<workgroup> hs: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let b = wg.x;
  let j = lid.x;
  let T = P.T;
  let live = j < U;
  hs[j] = 0.0;
  var c = 0.0;
  workgroupBarrier();
  for (var t = 0u; t < T; t++) {
    let row = b * T + t;
    let x = row * G + j;
    let s = row * S + j;
    var h_new = 0.0;
    if (live) {
      let ig = sigm(xw[x] + rec(j));
      let fg = sigm(xw[x + U] + rec(j + U));
      let gg = tanh_s(xw[x + 2u * U] + rec(j + 2u * U));
      let og = sigm(xw[x + 3u * U] + rec(j + 3u * U));
      c = fg * c + ig * gg;
      let value = og * tanh_s(c);
      saved[s] = ig;
      saved[s + U] = fg;
      saved[s + 2u * U] = gg;
      saved[s + 3u * U] = og;
      saved[s + 4u * U] = c;
      saved[s + 5u * U] = value;
      h_new = value;
      if (SEQUENCES) { y[row * U + j] = value; } else if (t == T - 1u) { y[b * U + j] = value; }
    }
    workgroupBarrier();
    hs[j] = h_new;
    workgroupBarrier();
  }
}
