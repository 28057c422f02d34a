// Sentiment: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: embedding(tokens, embedded.table) -> embedded/embedding  [embedding|i32[batch,seq];f32[5000,64]->f32[batch,seq,64]|]
// forward 1: matmul+bias(embedded/embedding, recurrent/lstm.w_ih, recurrent/lstm.bias) -> recurrent/lstm/matmul+bias  [matmul+bias@tiled|f32[batch,seq,64];f32[256,64];f32[256]->f32[batch,seq,256]|transA=false,transB=true]
// forward 2: lstm_scan(recurrent/lstm/matmul+bias, recurrent/lstm.w_hh) -> recurrent/lstm/lstm_scan, recurrent/lstm/lstm_scan:1  [lstm_scan|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64];f32[batch,seq,384]|return_sequences=true,units=64]
// forward 3: matmul+bias(recurrent/lstm/lstm_scan, recurrent.w_ih, recurrent.bias) -> recurrent/matmul+bias  [matmul+bias@tiled|f32[batch,seq,64];f32[96,64];f32[96]->f32[batch,seq,96]|transA=false,transB=true]
// forward 4: gru_scan(recurrent/matmul+bias, recurrent.w_hh) -> recurrent/gru_scan, recurrent/gru_scan:1  [gru_scan|f32[batch,seq,96];f32[96,32]->f32[batch,32];f32[batch,seq,160]|return_sequences=false,units=32]
// forward 5: conv1d+bias+relu(embedded/embedding, local/conv1d.weight, local/conv1d.bias) -> local/conv1d/conv1d+bias+relu  [conv1d+bias+relu|f32[batch,seq,64];f32[32,3,64];f32[32]->f32[batch,seq,32]|dilation=[1],padding="same",strides=[1]]
// forward 6: global_max_pool(local/conv1d/conv1d+bias+relu) -> local/global_max_pool  [global_max_pool|f32[batch,seq,32]->f32[batch,32]|]
// forward 7: concat(recurrent/gru_scan, local/global_max_pool) -> joined/concat  [concat|f32[batch,32];f32[batch,32]->f32[batch,64]|axis=1]
// forward 8: dropout(joined/concat) -> logit/dropout/dropout, logit/dropout/dropout:1  [dropout|f32[batch,64]->f32[batch,64];f32[batch,64]|rate=0.3,seed=17]
// forward 9: matmul+bias(logit/dropout/dropout, logit.weight, logit.bias) -> logit/matmul+bias  [matmul+bias@direct|f32[batch,64];f32[1,64];f32[1]->f32[batch,1]|transA=false,transB=true]
// forward 10: sigmoid(logit/matmul+bias) -> positive/sigmoid  [sigmoid|f32[batch,1]->f32[batch,1]|]
// backward 0: sigmoid_binary_cross_entropy_loss(logit/matmul+bias, label) -> loss/sigmoid_binary_cross_entropy_loss, loss/sigmoid_binary_cross_entropy_loss:1  [sigmoid_binary_cross_entropy_loss|f32[batch,1];f32[batch,1]->f32[];f32[batch,1]|]
// backward 1: sum_to(loss/sigmoid_binary_cross_entropy_loss:1) -> logit/sum_to  [sum_to|f32[batch,1]->f32[1]|shape=[1]]
// backward 2: matmul(loss/sigmoid_binary_cross_entropy_loss:1, logit.weight) -> logit/matmul  [matmul@tiled|f32[batch,1];f32[1,64]->f32[batch,64]|transA=false,transB=false]
// backward 3: matmul(loss/sigmoid_binary_cross_entropy_loss:1, logit/dropout/dropout) -> logit/matmul#2  [matmul@direct|f32[batch,1];f32[batch,64]->f32[1,64]|transA=true,transB=false]
// backward 4: dropout_grad(logit/matmul, logit/dropout/dropout:1) -> logit/dropout/dropout_grad  [dropout_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 5: slice(logit/dropout/dropout_grad) -> joined/slice  [slice|f32[batch,64]->f32[batch,32]|axis=1,size=32,start=0]
// backward 6: slice(logit/dropout/dropout_grad) -> joined/slice#2  [slice|f32[batch,64]->f32[batch,32]|axis=1,size=32,start=32]
// backward 7: global_max_pool_grad(joined/slice#2, local/conv1d/conv1d+bias+relu) -> local/global_max_pool_grad  [global_max_pool_grad|f32[batch,32];f32[batch,seq,32]->f32[batch,seq,32]|]
// backward 8: relu_grad(local/global_max_pool_grad, local/conv1d/conv1d+bias+relu) -> local/conv1d/relu_grad  [relu_grad|f32[batch,seq,32];f32[batch,seq,32]->f32[batch,seq,32]|]
// backward 9: sum_to(local/conv1d/relu_grad) -> local/conv1d/sum_to  [sum_to|f32[batch,seq,32]->f32[32]|shape=[32]]
// backward 10: conv1d_grad_input(local/conv1d/relu_grad, local/conv1d.weight) -> local/conv1d/conv1d_grad_input  [conv1d_grad_input|f32[batch,seq,32];f32[32,3,64]->f32[batch,seq,64]|dilation=[1],padding="same",shape=["batch","seq",64],strides=[1]]
// backward 11: conv1d_grad_weight(local/conv1d/relu_grad, embedded/embedding) -> local/conv1d/conv1d_grad_weight  [conv1d_grad_weight|f32[batch,seq,32];f32[batch,seq,64]->f32[32,3,64]|dilation=[1],padding="same",shape=[32,3,64],strides=[1]]
// backward 12: gru_scan_grad(joined/slice, recurrent.w_hh, recurrent/gru_scan:1) -> recurrent/gru_scan_grad, recurrent/gru_scan_grad:1  [gru_scan_grad|f32[batch,32];f32[96,32];f32[batch,seq,160]->f32[batch,seq,96];f32[96,32]|return_sequences=false,units=32]
// backward 13: sum_to(recurrent/gru_scan_grad) -> recurrent/sum_to  [sum_to|f32[batch,seq,96]->f32[96]|shape=[96]]
// backward 14: matmul(recurrent/gru_scan_grad, recurrent.w_ih) -> recurrent/matmul  [matmul@tiled|f32[batch,seq,96];f32[96,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 15: matmul(recurrent/gru_scan_grad, recurrent/lstm/lstm_scan) -> recurrent/matmul#2  [matmul@tiled|f32[batch,seq,96];f32[batch,seq,64]->f32[96,64]|transA=true,transB=false]
// backward 16: lstm_scan_grad(recurrent/matmul, recurrent/lstm.w_hh, recurrent/lstm/lstm_scan:1) -> recurrent/lstm/lstm_scan_grad, recurrent/lstm/lstm_scan_grad:1  [lstm_scan_grad|f32[batch,seq,64];f32[256,64];f32[batch,seq,384]->f32[batch,seq,256];f32[256,64]|return_sequences=true,units=64]
// backward 17: sum_to(recurrent/lstm/lstm_scan_grad) -> recurrent/lstm/sum_to  [sum_to|f32[batch,seq,256]->f32[256]|shape=[256]]
// backward 18: matmul(recurrent/lstm/lstm_scan_grad, recurrent/lstm.w_ih) -> recurrent/lstm/matmul  [matmul@tiled|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 19: matmul(recurrent/lstm/lstm_scan_grad, embedded/embedding) -> recurrent/lstm/matmul#2  [matmul@tiled|f32[batch,seq,256];f32[batch,seq,64]->f32[256,64]|transA=true,transB=false]
// backward 20: add(local/conv1d/conv1d_grad_input, recurrent/lstm/matmul) -> embedded/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 21: embedding_grad(embedded/add, tokens) -> embedded/embedding_grad  [embedding_grad|f32[batch,seq,64];i32[batch,seq]->f32[5000,64]|shape=[5000,64]]
// update 0: adam_update(embedded.table, embedded/embedding_grad, embedded.table.m, embedded.table.v) -> embedded.table, embedded.table.m, embedded.table.v  [adam_update|f32[5000,64];f32[5000,64];f32[5000,64];f32[5000,64]->f32[5000,64];f32[5000,64];f32[5000,64]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 1: adam_update(recurrent/lstm.w_ih, recurrent/lstm/matmul#2, recurrent/lstm.w_ih.m, recurrent/lstm.w_ih.v) -> recurrent/lstm.w_ih, recurrent/lstm.w_ih.m, recurrent/lstm.w_ih.v  [adam_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 2: adam_update(recurrent/lstm.w_hh, recurrent/lstm/lstm_scan_grad:1, recurrent/lstm.w_hh.m, recurrent/lstm.w_hh.v) -> recurrent/lstm.w_hh, recurrent/lstm.w_hh.m, recurrent/lstm.w_hh.v  [adam_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 3: adam_update(recurrent/lstm.bias, recurrent/lstm/sum_to, recurrent/lstm.bias.m, recurrent/lstm.bias.v) -> recurrent/lstm.bias, recurrent/lstm.bias.m, recurrent/lstm.bias.v  [adam_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 4: adam_update(recurrent.w_ih, recurrent/matmul#2, recurrent.w_ih.m, recurrent.w_ih.v) -> recurrent.w_ih, recurrent.w_ih.m, recurrent.w_ih.v  [adam_update|f32[96,64];f32[96,64];f32[96,64];f32[96,64]->f32[96,64];f32[96,64];f32[96,64]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 5: adam_update(recurrent.w_hh, recurrent/gru_scan_grad:1, recurrent.w_hh.m, recurrent.w_hh.v) -> recurrent.w_hh, recurrent.w_hh.m, recurrent.w_hh.v  [adam_update|f32[96,32];f32[96,32];f32[96,32];f32[96,32]->f32[96,32];f32[96,32];f32[96,32]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 6: adam_update(recurrent.bias, recurrent/sum_to, recurrent.bias.m, recurrent.bias.v) -> recurrent.bias, recurrent.bias.m, recurrent.bias.v  [adam_update|f32[96];f32[96];f32[96];f32[96]->f32[96];f32[96];f32[96]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 7: adam_update(local/conv1d.weight, local/conv1d/conv1d_grad_weight, local/conv1d.weight.m, local/conv1d.weight.v) -> local/conv1d.weight, local/conv1d.weight.m, local/conv1d.weight.v  [adam_update|f32[32,3,64];f32[32,3,64];f32[32,3,64];f32[32,3,64]->f32[32,3,64];f32[32,3,64];f32[32,3,64]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 8: adam_update(local/conv1d.bias, local/conv1d/sum_to, local/conv1d.bias.m, local/conv1d.bias.v) -> local/conv1d.bias, local/conv1d.bias.m, local/conv1d.bias.v  [adam_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 9: adam_update(logit.weight, logit/matmul#2, logit.weight.m, logit.weight.v) -> logit.weight, logit.weight.m, logit.weight.v  [adam_update|f32[1,64];f32[1,64];f32[1,64];f32[1,64]->f32[1,64];f32[1,64];f32[1,64]|beta1=0.9,beta2=0.99,epsilon=1e-7]
// update 10: adam_update(logit.bias, logit/sum_to, logit.bias.m, logit.bias.v) -> logit.bias, logit.bias.m, logit.bias.v  [adam_update|f32[1];f32[1];f32[1];f32[1]->f32[1];f32[1];f32[1]|beta1=0.9,beta2=0.99,epsilon=1e-7]

// ── program embedding|i32[batch,seq];f32[5000,64]->f32[batch,seq,64]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*64)/256), 1, 1]
// params count=batch*seq*64, dim=64, vocab=5000
struct Params { count: u32, dim: u32, vocab: u32 }
@group(0) @binding(0) var<storage, read> ids: array<i32>;
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let r = i / P.dim;
    let id = ids[r];
    if (id >= 0 && u32(id) < P.vocab) { y[i] = table[u32(id) * P.dim + i % P.dim]; } else { y[i] = 0.0; }
  }
}

// ── program matmul+bias@tiled|f32[batch,seq,64];f32[256,64];f32[256]->f32[batch,seq,256]|transA=false,transB=true
// workgroup 16×16×1, dispatch [4, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=256, K=64, lda=64, ldb=64
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

// ── program matmul+bias@tiled|f32[batch,seq,64];f32[96,64];f32[96]->f32[batch,seq,96]|transA=false,transB=true
// workgroup 16×16×1, dispatch [2, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=96, K=64, lda=64, ldb=64
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

// ── program gru_scan|f32[batch,seq,96];f32[96,32]->f32[batch,32];f32[batch,seq,160]|return_sequences=false,units=32
// workgroup 256×1×1, dispatch [batch, 1, 1]
// params rows=batch, T=seq
struct Params { rows: u32, T: u32 }
@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> saved: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

const U = 32u;
const G = 96u;
const S = 160u;
const SEQUENCES = false;
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
      let r = sigm(xw[x] + rec(j));
      let z = sigm(xw[x + U] + rec(j + U));
      let hn = rec(j + 2u * U);
      let n = tanh_s(xw[x + 2u * U] + r * hn);
      let value = (1.0 - z) * n + z * hs[j];
      saved[s] = r;
      saved[s + U] = z;
      saved[s + 2u * U] = n;
      saved[s + 3u * U] = hn;
      saved[s + 4u * U] = value;
      h_new = value;
      if (SEQUENCES) { y[row * U + j] = value; } else if (t == T - 1u) { y[b * U + j] = value; }
    }
    workgroupBarrier();
    hs[j] = h_new;
    workgroupBarrier();
  }
}

// ── program conv1d+bias+relu|f32[batch,seq,64];f32[32,3,64];f32[32]->f32[batch,seq,32]|dilation=[1],padding="same",strides=[1]
// workgroup 256×1×1, dispatch [ceil((batch*seq*32)/256), 1, 1]
// params count=batch*seq*32, N=32, H=seq, OH=seq
struct Params { count: u32, N: u32, H: u32, OH: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

const W = 1i;
const C = 64i;
const F = 32i;
const KH = 3i;
const KW = 1i;
const OW = 1i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 1i;
const LEFT = 0i;
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
    let H = i32(P.H);
    let OH = i32(P.OH);
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

// ── program global_max_pool|f32[batch,seq,32]->f32[batch,32]|
// workgroup 256×1×1, dispatch [ceil((batch*32)/256), 1, 1]
// params count=batch*32, C=32, cells=seq
struct Params { count: u32, C: u32, cells: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let b = i / P.C;
    let c = i % P.C;
    var acc = -3.402823e38;
    for (var s = 0u; s < P.cells; s++) {
      let v = x[(b * P.cells + s) * P.C + c];
      acc = max(acc, v);
    }
    y[i] = acc;
  }
}

// ── program concat|f32[batch,32];f32[batch,32]->f32[batch,64]|axis=1
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64, inner=1, width=64, start0=0, size0=32, start1=32, size1=32
struct Params { count: u32, inner: u32, width: u32, start0: u32, size0: u32, start1: u32, size1: u32 }
@group(0) @binding(0) var<storage, read> x0: array<f32>;
@group(0) @binding(1) var<storage, read> x1: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let j = i % P.inner;
    let c = (i / P.inner) % P.width;
    let outer = i / (P.inner * P.width);
    if (c < P.start0 + P.size0) { y[i] = x0[(outer * P.size0 + (c - P.start0)) * P.inner + j]; } else { y[i] = x1[(outer * P.size1 + (c - P.start1)) * P.inner + j]; }
  }
}

// ── program dropout|f32[batch,64]->f32[batch,64];f32[batch,64]|rate=0.3,seed=17
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64
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
      let u = f32(pcg(i ^ pcg(R.seed ^ pcg(17u))) >> 8u) / 16777216.0;
      let m = select(0.0, 1.4285714285714286, u >= 0.3);
      mask[i] = m;
      y[i] = x[i] * m;
    } else {
      mask[i] = 1.0;
      y[i] = x[i];
    }
  }
}

// ── program matmul+bias@direct|f32[batch,64];f32[1,64];f32[1]->f32[batch,1]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil(batch/64), 1, 1]
// params M=batch, N=1, K=64, lda=64, ldb=64
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

// ── program matmul@tiled|f32[batch,1];f32[1,64]->f32[batch,64]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=1, lda=1, ldb=64
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

// ── program matmul@direct|f32[batch,1];f32[batch,64]->f32[1,64]|transA=true,transB=false
// workgroup 64×1×1, dispatch [1, 1, 1]
// params M=1, N=64, K=batch, lda=1, ldb=64
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

// ── program dropout_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64
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

// ── program slice|f32[batch,64]->f32[batch,32]|axis=1,size=32,start=0
// workgroup 256×1×1, dispatch [ceil((batch*32)/256), 1, 1]
// params count=batch*32, inner=1, size=32, width=64, start=0
struct Params { count: u32, inner: u32, size: u32, width: u32, start: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let j = i % P.inner;
    let c = (i / P.inner) % P.size;
    let outer = i / (P.inner * P.size);
    y[i] = x[(outer * P.width + P.start + c) * P.inner + j];
  }
}

// ── program slice|f32[batch,64]->f32[batch,32]|axis=1,size=32,start=32
// workgroup 256×1×1, dispatch [ceil((batch*32)/256), 1, 1]
// params count=batch*32, inner=1, size=32, width=64, start=32
struct Params { count: u32, inner: u32, size: u32, width: u32, start: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let j = i % P.inner;
    let c = (i / P.inner) % P.size;
    let outer = i / (P.inner * P.size);
    y[i] = x[(outer * P.width + P.start + c) * P.inner + j];
  }
}

// ── program global_max_pool_grad|f32[batch,32];f32[batch,seq,32]->f32[batch,seq,32]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*32)/256), 1, 1]
// params count=batch*seq*32, C=32, cells=seq
struct Params { count: u32, C: u32, cells: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let c = i % P.C;
    let b = i / (P.C * P.cells);
    var best = b * P.cells * P.C + c;
    for (var s = 1u; s < P.cells; s++) {
      let at = (b * P.cells + s) * P.C + c;
      if (x[at] > x[best]) { best = at; }
    }
    dx[i] = select(0.0, dy[b * P.C + c], best == i);
  }
}

// ── program relu_grad|f32[batch,seq,32];f32[batch,seq,32]->f32[batch,seq,32]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*32)/256), 1, 1]
// params count=batch*seq*32
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

// ── program sum_to|f32[batch,seq,32]->f32[32]|shape=[32]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=32, rows=batch*seq
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

// ── program conv1d_grad_input|f32[batch,seq,32];f32[32,3,64]->f32[batch,seq,64]|dilation=[1],padding="same",shape=["batch","seq",64],strides=[1]
// workgroup 256×1×1, dispatch [ceil((batch*seq*64)/256), 1, 1]
// params count=batch*seq*64, H=seq, OH=seq
struct Params { count: u32, H: u32, OH: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const W = 1i;
const C = 64i;
const F = 32i;
const KH = 3i;
const KW = 1i;
const OW = 1i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 1i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let H = i32(P.H);
    let OH = i32(P.OH);
    let ii = i32(i);
    let c = ii % C;
    let ix = (ii / C) % W;
    let iy = (ii / (C * W)) % H;
    let b = ii / (C * W * H);
    var acc = 0.0;
    for (var ky = 0i; ky < KH; ky++) {
      let ty = iy + TOP - ky * DH;
      if (ty < 0i || ty % SH != 0i) { continue; }
      let oy = ty / SH;
      if (oy >= OH) { continue; }
      for (var kx = 0i; kx < KW; kx++) {
        let tx = ix + LEFT - kx * DW;
        if (tx < 0i || tx % SW != 0i) { continue; }
        let ox = tx / SW;
        if (ox >= OW) { continue; }
        let ob = u32(((b * OH + oy) * OW + ox) * F);
        for (var f = 0i; f < F; f++) { acc = fma(dy[ob + u32(f)], wt[u32(((f * KH + ky) * KW + kx) * C + c)], acc); }
      }
    }
    dx[i] = acc;
  }
}

// ── program conv1d_grad_weight|f32[batch,seq,32];f32[batch,seq,64]->f32[32,3,64]|dilation=[1],padding="same",shape=[32,3,64],strides=[1]
// workgroup 256×1×1, dispatch [24, 1, 1]
// params count=6144, batch=batch, H=seq, OH=seq
struct Params { count: u32, batch: u32, H: u32, OH: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const W = 1i;
const C = 64i;
const F = 32i;
const KH = 3i;
const KW = 1i;
const OW = 1i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 1i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let H = i32(P.H);
    let OH = i32(P.OH);
    let ii = i32(i);
    let c = ii % C;
    let kx = (ii / C) % KW;
    let ky = (ii / (C * KW)) % KH;
    let f = ii / (C * KW * KH);
    var acc = 0.0;
    for (var b = 0i; b < i32(P.batch); b++) {
      for (var oy = 0i; oy < OH; oy++) {
        let iy = oy * SH + ky * DH - TOP;
        if (iy < 0i || iy >= H) { continue; }
        for (var ox = 0i; ox < OW; ox++) {
          let ix = ox * SW + kx * DW - LEFT;
          if (ix < 0i || ix >= W) { continue; }
          acc = fma(dy[u32(((b * OH + oy) * OW + ox) * F + f)], x[u32(((b * H + iy) * W + ix) * C + c)], acc);
        }
      }
    }
    dw[i] = acc;
  }
}

// ── program gru_scan_grad|f32[batch,32];f32[96,32];f32[batch,seq,160]->f32[batch,seq,96];f32[96,32]|return_sequences=false,units=32
// workgroup 256×1×1, dispatch [1, 1, 1]
// params rows=batch, T=seq
struct Params { rows: u32, T: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> saved: array<f32>;
@group(0) @binding(3) var<storage, read_write> dxw: array<f32>;
@group(0) @binding(4) var<storage, read_write> dw_hh: array<f32>;
@group(0) @binding(5) var<uniform> P: Params;

const U = 32u;
const G = 96u;
const S = 160u;
const SEQUENCES = false;
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
var<workgroup> dhw: array<f32, 768>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let j = lid.x;
  let T = P.T;
  let live = j < U;
  // Phase 1: BPTT, one batch row after the other.
  for (var b = 0u; b < P.rows; b++) {
    var dh_next = 0.0;
    var carry = 0.0;
    for (var step = 0u; step < T; step++) {
      let t = T - 1u - step;
      let row = b * T + t;
      let x = row * G + j;
      let s = row * S + j;
      var direct = 0.0;
      if (live) {
        var from_output = 0.0;
        if (SEQUENCES) { from_output = dy[row * U + j]; } else if (t == T - 1u) { from_output = dy[b * U + j]; }
        let dh = dh_next + from_output;
        let r = saved[s];
        let z = saved[s + U];
        let n = saved[s + 2u * U];
        let hn = saved[s + 3u * U];
        var h_prev = 0.0;
        if (t > 0u) { h_prev = saved[s - S + 4u * U]; }
        let dan = dh * (1.0 - z) * (1.0 - n * n);
        let dar = dan * hn * r * (1.0 - r);
        let daz = dh * (h_prev - n) * z * (1.0 - z);
        dxw[x] = dar; dxw[x + U] = daz; dxw[x + 2u * U] = dan;
        dhw[j] = dar; dhw[j + U] = daz; dhw[j + 2u * U] = dan * r;
        direct = dh * z;
      }
      workgroupBarrier();
      if (live) {
        // dh_{t−1}[j] = Σ_g dhw[g] · w_hh[g, j] (+ the GRU's direct path)
        var acc = direct;
        for (var g = 0u; g < G; g++) { acc = fma(dhw[g], w[g * U + j], acc); }
        dh_next = acc;
      }
      workgroupBarrier();
    }
  }
  // Phase 2 reads the dxw that other threads wrote in phase 1.
  storageBarrier();
  workgroupBarrier();
  // Phase 2: dw_hh[g, k] = Σ over rows and steps t ≥ 1 of dhw[b, t, g] · h_{t−1}[b, k].
  for (var e = j; e < G * U; e += 256u) {
    let g = e / U;
    let k = e % U;
    var acc = 0.0;
    for (var b = 0u; b < P.rows; b++) {
      for (var t = 1u; t < T; t++) {
        let row = b * T + t;
        var d = dxw[row * G + g];
      if (g >= 2u * U) { d = d * saved[row * S + (g - 2u * U)]; }
        acc = fma(d, saved[(row - 1u) * S + 4u * U + k], acc);
      }
    }
    dw_hh[e] = acc;
  }
}

// ── program sum_to|f32[batch,seq,96]->f32[96]|shape=[96]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=96, rows=batch*seq
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

// ── program matmul@tiled|f32[batch,seq,96];f32[96,64]->f32[batch,seq,64]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=64, K=96, lda=96, ldb=64
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

// ── program matmul@tiled|f32[batch,seq,96];f32[batch,seq,64]->f32[96,64]|transA=true,transB=false
// workgroup 16×16×1, dispatch [1, 2, 1]
// params M=96, N=64, K=batch*seq, lda=96, ldb=64
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

// ── program lstm_scan_grad|f32[batch,seq,64];f32[256,64];f32[batch,seq,384]->f32[batch,seq,256];f32[256,64]|return_sequences=true,units=64
// workgroup 256×1×1, dispatch [1, 1, 1]
// params rows=batch, T=seq
struct Params { rows: u32, T: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read> saved: array<f32>;
@group(0) @binding(3) var<storage, read_write> dxw: array<f32>;
@group(0) @binding(4) var<storage, read_write> dw_hh: array<f32>;
@group(0) @binding(5) var<uniform> P: Params;

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
var<workgroup> dhw: array<f32, 1024>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let j = lid.x;
  let T = P.T;
  let live = j < U;
  // Phase 1: BPTT, one batch row after the other.
  for (var b = 0u; b < P.rows; b++) {
    var dh_next = 0.0;
    var carry = 0.0;
    for (var step = 0u; step < T; step++) {
      let t = T - 1u - step;
      let row = b * T + t;
      let x = row * G + j;
      let s = row * S + j;
      var direct = 0.0;
      if (live) {
        var from_output = 0.0;
        if (SEQUENCES) { from_output = dy[row * U + j]; } else if (t == T - 1u) { from_output = dy[b * U + j]; }
        let dh = dh_next + from_output;
        let ig = saved[s];
        let fg = saved[s + U];
        let gg = saved[s + 2u * U];
        let og = saved[s + 3u * U];
        let c = saved[s + 4u * U];
        var c_prev = 0.0;
        if (t > 0u) { c_prev = saved[s - S + 4u * U]; }
        let tc = tanh_s(c);
        let dc = carry + dh * og * (1.0 - tc * tc);
        carry = dc * fg;
        let d0 = dc * gg * ig * (1.0 - ig);
        let d1 = dc * c_prev * fg * (1.0 - fg);
        let d2 = dc * ig * (1.0 - gg * gg);
        let d3 = dh * tc * og * (1.0 - og);
        dxw[x] = d0; dxw[x + U] = d1; dxw[x + 2u * U] = d2; dxw[x + 3u * U] = d3;
        dhw[j] = d0; dhw[j + U] = d1; dhw[j + 2u * U] = d2; dhw[j + 3u * U] = d3;
      }
      workgroupBarrier();
      if (live) {
        // dh_{t−1}[j] = Σ_g dhw[g] · w_hh[g, j] (+ the GRU's direct path)
        var acc = direct;
        for (var g = 0u; g < G; g++) { acc = fma(dhw[g], w[g * U + j], acc); }
        dh_next = acc;
      }
      workgroupBarrier();
    }
  }
  // Phase 2 reads the dxw that other threads wrote in phase 1.
  storageBarrier();
  workgroupBarrier();
  // Phase 2: dw_hh[g, k] = Σ over rows and steps t ≥ 1 of dhw[b, t, g] · h_{t−1}[b, k].
  for (var e = j; e < G * U; e += 256u) {
    let g = e / U;
    let k = e % U;
    var acc = 0.0;
    for (var b = 0u; b < P.rows; b++) {
      for (var t = 1u; t < T; t++) {
        let row = b * T + t;
        var d = dxw[row * G + g];
        acc = fma(d, saved[(row - 1u) * S + 5u * U + k], acc);
      }
    }
    dw_hh[e] = acc;
  }
}

// ── program sum_to|f32[batch,seq,256]->f32[256]|shape=[256]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=256, rows=batch*seq
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

// ── program matmul@tiled|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=64, K=256, lda=256, ldb=64
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

// ── program matmul@tiled|f32[batch,seq,256];f32[batch,seq,64]->f32[256,64]|transA=true,transB=false
// workgroup 16×16×1, dispatch [1, 4, 1]
// params M=256, N=64, K=batch*seq, lda=256, ldb=64
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

// ── program add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*64)/256), 1, 1]
// params count=batch*seq*64
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    y[i] = a[i] + b[i];
  }
}

// ── program embedding_grad|f32[batch,seq,64];i32[batch,seq]->f32[5000,64]|shape=[5000,64]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64, vocab=5000, rows=batch*seq
struct Params { count: u32, vocab: u32, rows: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    for (var v = 0u; v < P.vocab; v++) { dtable[v * P.count + i] = 0.0; }
    for (var r = 0u; r < P.rows; r++) {
      let id = ids[r];
      if (id >= 0 && u32(id) < P.vocab) { dtable[u32(id) * P.count + i] += dy[r * P.count + i]; }
    }
  }
}

// ── program adam_update|f32[5000,64];f32[5000,64];f32[5000,64];f32[5000,64]->f32[5000,64];f32[5000,64];f32[5000,64]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [1250, 1, 1]
// params count=320000
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [64, 1, 1]
// params count=16384
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.99,epsilon=1e-7
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[96,64];f32[96,64];f32[96,64];f32[96,64]->f32[96,64];f32[96,64];f32[96,64]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [24, 1, 1]
// params count=6144
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[96,32];f32[96,32];f32[96,32];f32[96,32]->f32[96,32];f32[96,32];f32[96,32]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [12, 1, 1]
// params count=3072
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[96];f32[96];f32[96];f32[96]->f32[96];f32[96];f32[96]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=96
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[32,3,64];f32[32,3,64];f32[32,3,64];f32[32,3,64]->f32[32,3,64];f32[32,3,64];f32[32,3,64]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [24, 1, 1]
// params count=6144
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.99,epsilon=1e-7
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[1,64];f32[1,64];f32[1,64];f32[1,64]->f32[1,64];f32[1,64];f32[1,64]|beta1=0.9,beta2=0.99,epsilon=1e-7
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adam_update|f32[1];f32[1];f32[1];f32[1]->f32[1];f32[1];f32[1]|beta1=0.9,beta2=0.99,epsilon=1e-7
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=1
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
    let vt = 0.99 * v[i] + (1.0 - 0.99) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.99, t));
    var p = param[i];
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}
