// DigitsCnn: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: reshape(image) -> features/reshape/reshape  [reshape|f32[batch,28,28]->f32[batch,28,28,1]|shape=["batch",28,28,1]]
// forward 1: conv2d+bias+relu(features/reshape/reshape, features/conv2d.weight, features/conv2d.bias) -> features/conv2d/conv2d+bias+relu  [conv2d+bias+relu|f32[batch,28,28,1];f32[16,3,3,1];f32[16]->f32[batch,28,28,16]|dilation=[1,1],padding="same",strides=[1,1]]
// forward 2: maxpool2d(features/conv2d/conv2d+bias+relu) -> features/maxpool2d/maxpool2d  [maxpool2d|f32[batch,28,28,16]->f32[batch,14,14,16]|padding="valid",size=[2,2],strides=[2,2]]
// forward 3: conv2d+bias+relu(features/maxpool2d/maxpool2d, features/conv2d_2.weight, features/conv2d_2.bias) -> features/conv2d_2/conv2d+bias+relu  [conv2d+bias+relu|f32[batch,14,14,16];f32[32,3,3,16];f32[32]->f32[batch,12,12,32]|dilation=[1,1],padding="valid",strides=[1,1]]
// forward 4: batchnorm(features/conv2d_2/conv2d+bias+relu, features/batchnorm.gamma, features/batchnorm.beta, features/batchnorm.running_mean, features/batchnorm.running_var) -> features/batchnorm/batchnorm, features/batchnorm/batchnorm:1, features/batchnorm/batchnorm:2  [batchnorm|f32[batch,12,12,32];f32[32];f32[32];f32[32];f32[32]->f32[batch,12,12,32];f32[32];f32[32]|epsilon=0.001,momentum=0.99]
// forward 5: maxpool2d(features/batchnorm/batchnorm) -> features/maxpool2d_2/maxpool2d  [maxpool2d|f32[batch,12,12,32]->f32[batch,6,6,32]|padding="valid",size=[2,2],strides=[2,2]]
// forward 6: conv2d+bias+relu(features/maxpool2d_2/maxpool2d, features/conv2d_3.weight, features/conv2d_3.bias) -> features/conv2d_3/conv2d+bias+relu  [conv2d+bias+relu|f32[batch,6,6,32];f32[64,3,3,32];f32[64]->f32[batch,4,4,64]|dilation=[1,1],padding="valid",strides=[1,1]]
// forward 7: global_avg_pool(features/conv2d_3/conv2d+bias+relu) -> features/global_avg_pool  [global_avg_pool|f32[batch,4,4,64]->f32[batch,64]|]
// forward 8: matmul+bias(features/global_avg_pool, logits.weight, logits.bias) -> logits/matmul+bias  [matmul+bias@direct|f32[batch,64];f32[10,64];f32[10]->f32[batch,10]|transA=false,transB=true]
// forward 9: softmax(logits/matmul+bias) -> probs/softmax  [softmax|f32[batch,10]->f32[batch,10]|]
// backward 0: sparse_softmax_cross_entropy_loss(logits/matmul+bias, label) -> loss/sparse_softmax_cross_entropy_loss, loss/sparse_softmax_cross_entropy_loss:1  [sparse_softmax_cross_entropy_loss|f32[batch,10];i32[batch]->f32[];f32[batch,10]|]
// backward 1: l1_l2_penalty(logits.weight) -> logits/l1_l2_penalty  [l1_l2_penalty|f32[10,64]->f32[]|l1=0,l2=0.0001]
// backward 2: add(loss/sparse_softmax_cross_entropy_loss, logits/l1_l2_penalty) -> logits/add  [add|f32[];f32[]->f32[]|]
// backward 3: sum_to(loss/sparse_softmax_cross_entropy_loss:1) -> logits/sum_to  [sum_to|f32[batch,10]->f32[10]|shape=[10]]
// backward 4: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits.weight) -> logits/matmul  [matmul@tiled|f32[batch,10];f32[10,64]->f32[batch,64]|transA=false,transB=false]
// backward 5: matmul(loss/sparse_softmax_cross_entropy_loss:1, features/global_avg_pool) -> logits/matmul#2  [matmul@direct|f32[batch,10];f32[batch,64]->f32[10,64]|transA=true,transB=false]
// backward 6: global_avg_pool_grad(logits/matmul) -> features/global_avg_pool_grad  [global_avg_pool_grad|f32[batch,64]->f32[batch,4,4,64]|shape=["batch",4,4,64]]
// backward 7: relu_grad(features/global_avg_pool_grad, features/conv2d_3/conv2d+bias+relu) -> features/conv2d_3/relu_grad  [relu_grad|f32[batch,4,4,64];f32[batch,4,4,64]->f32[batch,4,4,64]|]
// backward 8: sum_to(features/conv2d_3/relu_grad) -> features/conv2d_3/sum_to  [sum_to|f32[batch,4,4,64]->f32[64]|shape=[64]]
// backward 9: conv2d_grad_input(features/conv2d_3/relu_grad, features/conv2d_3.weight) -> features/conv2d_3/conv2d_grad_input  [conv2d_grad_input|f32[batch,4,4,64];f32[64,3,3,32]->f32[batch,6,6,32]|dilation=[1,1],padding="valid",shape=["batch",6,6,32],strides=[1,1]]
// backward 10: conv2d_grad_weight(features/conv2d_3/relu_grad, features/maxpool2d_2/maxpool2d) -> features/conv2d_3/conv2d_grad_weight  [conv2d_grad_weight|f32[batch,4,4,64];f32[batch,6,6,32]->f32[64,3,3,32]|dilation=[1,1],padding="valid",shape=[64,3,3,32],strides=[1,1]]
// backward 11: maxpool2d_grad(features/conv2d_3/conv2d_grad_input, features/batchnorm/batchnorm) -> features/maxpool2d_2/maxpool2d_grad  [maxpool2d_grad|f32[batch,6,6,32];f32[batch,12,12,32]->f32[batch,12,12,32]|padding="valid",size=[2,2],strides=[2,2]]
// backward 12: batchnorm_grad(features/maxpool2d_2/maxpool2d_grad, features/conv2d_2/conv2d+bias+relu, features/batchnorm.gamma, features/batchnorm/batchnorm:1, features/batchnorm/batchnorm:2) -> features/batchnorm/batchnorm_grad, features/batchnorm/batchnorm_grad:1, features/batchnorm/batchnorm_grad:2  [batchnorm_grad|f32[batch,12,12,32];f32[batch,12,12,32];f32[32];f32[32];f32[32]->f32[batch,12,12,32];f32[32];f32[32]|]
// backward 13: relu_grad(features/batchnorm/batchnorm_grad, features/conv2d_2/conv2d+bias+relu) -> features/conv2d_2/relu_grad  [relu_grad|f32[batch,12,12,32];f32[batch,12,12,32]->f32[batch,12,12,32]|]
// backward 14: sum_to(features/conv2d_2/relu_grad) -> features/conv2d_2/sum_to  [sum_to|f32[batch,12,12,32]->f32[32]|shape=[32]]
// backward 15: conv2d_grad_input(features/conv2d_2/relu_grad, features/conv2d_2.weight) -> features/conv2d_2/conv2d_grad_input  [conv2d_grad_input|f32[batch,12,12,32];f32[32,3,3,16]->f32[batch,14,14,16]|dilation=[1,1],padding="valid",shape=["batch",14,14,16],strides=[1,1]]
// backward 16: conv2d_grad_weight(features/conv2d_2/relu_grad, features/maxpool2d/maxpool2d) -> features/conv2d_2/conv2d_grad_weight  [conv2d_grad_weight|f32[batch,12,12,32];f32[batch,14,14,16]->f32[32,3,3,16]|dilation=[1,1],padding="valid",shape=[32,3,3,16],strides=[1,1]]
// backward 17: maxpool2d_grad(features/conv2d_2/conv2d_grad_input, features/conv2d/conv2d+bias+relu) -> features/maxpool2d/maxpool2d_grad  [maxpool2d_grad|f32[batch,14,14,16];f32[batch,28,28,16]->f32[batch,28,28,16]|padding="valid",size=[2,2],strides=[2,2]]
// backward 18: relu_grad(features/maxpool2d/maxpool2d_grad, features/conv2d/conv2d+bias+relu) -> features/conv2d/relu_grad  [relu_grad|f32[batch,28,28,16];f32[batch,28,28,16]->f32[batch,28,28,16]|]
// backward 19: sum_to(features/conv2d/relu_grad) -> features/conv2d/sum_to  [sum_to|f32[batch,28,28,16]->f32[16]|shape=[16]]
// backward 20: conv2d_grad_weight(features/conv2d/relu_grad, features/reshape/reshape) -> features/conv2d/conv2d_grad_weight  [conv2d_grad_weight|f32[batch,28,28,16];f32[batch,28,28,1]->f32[16,3,3,1]|dilation=[1,1],padding="same",shape=[16,3,3,1],strides=[1,1]]
// backward 21: l1_l2_grad(logits/matmul#2, logits.weight) -> logits/l1_l2_grad  [l1_l2_grad|f32[10,64];f32[10,64]->f32[10,64]|l1=0,l2=0.0001]
// update 0: adamw_update(features/conv2d.weight, features/conv2d/conv2d_grad_weight, features/conv2d.weight.m, features/conv2d.weight.v) -> features/conv2d.weight, features/conv2d.weight.m, features/conv2d.weight.v  [adamw_update|f32[16,3,3,1];f32[16,3,3,1];f32[16,3,3,1];f32[16,3,3,1]->f32[16,3,3,1];f32[16,3,3,1];f32[16,3,3,1]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 1: adamw_update(features/conv2d.bias, features/conv2d/sum_to, features/conv2d.bias.m, features/conv2d.bias.v) -> features/conv2d.bias, features/conv2d.bias.m, features/conv2d.bias.v  [adamw_update|f32[16];f32[16];f32[16];f32[16]->f32[16];f32[16];f32[16]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 2: adamw_update(features/conv2d_2.weight, features/conv2d_2/conv2d_grad_weight, features/conv2d_2.weight.m, features/conv2d_2.weight.v) -> features/conv2d_2.weight, features/conv2d_2.weight.m, features/conv2d_2.weight.v  [adamw_update|f32[32,3,3,16];f32[32,3,3,16];f32[32,3,3,16];f32[32,3,3,16]->f32[32,3,3,16];f32[32,3,3,16];f32[32,3,3,16]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 3: adamw_update(features/conv2d_2.bias, features/conv2d_2/sum_to, features/conv2d_2.bias.m, features/conv2d_2.bias.v) -> features/conv2d_2.bias, features/conv2d_2.bias.m, features/conv2d_2.bias.v  [adamw_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 4: adamw_update(features/batchnorm.gamma, features/batchnorm/batchnorm_grad:1, features/batchnorm.gamma.m, features/batchnorm.gamma.v) -> features/batchnorm.gamma, features/batchnorm.gamma.m, features/batchnorm.gamma.v  [adamw_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 5: adamw_update(features/batchnorm.beta, features/batchnorm/batchnorm_grad:2, features/batchnorm.beta.m, features/batchnorm.beta.v) -> features/batchnorm.beta, features/batchnorm.beta.m, features/batchnorm.beta.v  [adamw_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 6: adamw_update(features/conv2d_3.weight, features/conv2d_3/conv2d_grad_weight, features/conv2d_3.weight.m, features/conv2d_3.weight.v) -> features/conv2d_3.weight, features/conv2d_3.weight.m, features/conv2d_3.weight.v  [adamw_update|f32[64,3,3,32];f32[64,3,3,32];f32[64,3,3,32];f32[64,3,3,32]->f32[64,3,3,32];f32[64,3,3,32];f32[64,3,3,32]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 7: adamw_update(features/conv2d_3.bias, features/conv2d_3/sum_to, features/conv2d_3.bias.m, features/conv2d_3.bias.v) -> features/conv2d_3.bias, features/conv2d_3.bias.m, features/conv2d_3.bias.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 8: adamw_update(logits.weight, logits/l1_l2_grad, logits.weight.m, logits.weight.v) -> logits.weight, logits.weight.m, logits.weight.v  [adamw_update|f32[10,64];f32[10,64];f32[10,64];f32[10,64]->f32[10,64];f32[10,64];f32[10,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]
// update 9: adamw_update(logits.bias, logits/sum_to, logits.bias.m, logits.bias.v) -> logits.bias, logits.bias.m, logits.bias.v  [adamw_update|f32[10];f32[10];f32[10];f32[10]->f32[10];f32[10];f32[10]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001]

// ── program reshape|f32[batch,28,28]->f32[batch,28,28,1]|shape=["batch",28,28,1]
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

// ── program maxpool2d|f32[batch,28,28,16]->f32[batch,14,14,16]|padding="valid",size=[2,2],strides=[2,2]
// workgroup 256×1×1, dispatch [ceil((batch*3136)/256), 1, 1]
// params count=batch*3136
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

const H = 28i;
const W = 28i;
const C = 16i;
const F = 16i;
const KH = 2i;
const KW = 2i;
const OH = 14i;
const OW = 14i;
const SH = 2i;
const SW = 2i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let ii = i32(i);
    let c = ii % C;
    let ox = (ii / C) % OW;
    let oy = (ii / (C * OW)) % OH;
    let b = ii / (C * OW * OH);
    var acc = -3.402823e38;
    var count = 0.0;
    for (var ky = 0i; ky < KH; ky++) {
      let iy = oy * SH + ky - TOP;
      if (iy < 0i || iy >= H) { continue; }
      for (var kx = 0i; kx < KW; kx++) {
        let ix = ox * SW + kx - LEFT;
        if (ix < 0i || ix >= W) { continue; }
        let at = u32(((b * H + iy) * W + ix) * C + c);
        acc = max(acc, x[at]); count += 1.0;
      }
    }
    y[i] = acc;
  }
}

// ── program conv2d+bias+relu|f32[batch,14,14,16];f32[32,3,3,16];f32[32]->f32[batch,12,12,32]|dilation=[1,1],padding="valid",strides=[1,1]
// workgroup 256×1×1, dispatch [ceil((batch*4608)/256), 1, 1]
// params count=batch*4608, N=32
struct Params { count: u32, N: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

const H = 14i;
const W = 14i;
const C = 16i;
const F = 32i;
const KH = 3i;
const KW = 3i;
const OH = 12i;
const OW = 12i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
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

// ── program batchnorm|f32[batch,12,12,32];f32[32];f32[32];f32[32];f32[32]->f32[batch,12,12,32];f32[32];f32[32]|epsilon=0.001,momentum=0.99
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=32, rows=batch*144
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

// ── program maxpool2d|f32[batch,12,12,32]->f32[batch,6,6,32]|padding="valid",size=[2,2],strides=[2,2]
// workgroup 256×1×1, dispatch [ceil((batch*1152)/256), 1, 1]
// params count=batch*1152
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

const H = 12i;
const W = 12i;
const C = 32i;
const F = 32i;
const KH = 2i;
const KW = 2i;
const OH = 6i;
const OW = 6i;
const SH = 2i;
const SW = 2i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let ii = i32(i);
    let c = ii % C;
    let ox = (ii / C) % OW;
    let oy = (ii / (C * OW)) % OH;
    let b = ii / (C * OW * OH);
    var acc = -3.402823e38;
    var count = 0.0;
    for (var ky = 0i; ky < KH; ky++) {
      let iy = oy * SH + ky - TOP;
      if (iy < 0i || iy >= H) { continue; }
      for (var kx = 0i; kx < KW; kx++) {
        let ix = ox * SW + kx - LEFT;
        if (ix < 0i || ix >= W) { continue; }
        let at = u32(((b * H + iy) * W + ix) * C + c);
        acc = max(acc, x[at]); count += 1.0;
      }
    }
    y[i] = acc;
  }
}

// ── program conv2d+bias+relu|f32[batch,6,6,32];f32[64,3,3,32];f32[64]->f32[batch,4,4,64]|dilation=[1,1],padding="valid",strides=[1,1]
// workgroup 256×1×1, dispatch [ceil((batch*1024)/256), 1, 1]
// params count=batch*1024, N=64
struct Params { count: u32, N: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

const H = 6i;
const W = 6i;
const C = 32i;
const F = 64i;
const KH = 3i;
const KW = 3i;
const OH = 4i;
const OW = 4i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
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

// ── program global_avg_pool|f32[batch,4,4,64]->f32[batch,64]|
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64, C=64, cells=16
struct Params { count: u32, C: u32, cells: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let b = i / P.C;
    let c = i % P.C;
    var acc = 0.0;
    for (var s = 0u; s < P.cells; s++) {
      let v = x[(b * P.cells + s) * P.C + c];
      acc += v;
    }
    y[i] = acc / f32(P.cells);
  }
}

// ── program matmul+bias@direct|f32[batch,64];f32[10,64];f32[10]->f32[batch,10]|transA=false,transB=true
// workgroup 64×1×1, dispatch [ceil((batch*10)/64), 1, 1]
// params M=batch, N=10, K=64, lda=64, ldb=64
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

// ── program l1_l2_penalty|f32[10,64]->f32[]|l1=0,l2=0.0001
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=640
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> w: array<f32>;
@group(0) @binding(1) var<storage, read_write> penalty: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  var acc = 0.0;
  for (var i = lid.x; i < P.count; i += 256u) {
    let v = w[i];
    acc += 0.0 * abs(v) + 0.0001 * v * v;
  }
  partial[lid.x] = acc;
  workgroupBarrier();
  for (var stride = 128u; stride > 0u; stride = stride / 2u) {
    if (lid.x < stride) { partial[lid.x] += partial[lid.x + stride]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let total = partial[0];
    penalty[0] = total;
  }
}

// ── program add|f32[];f32[]->f32[]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=1
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

// ── program matmul@tiled|f32[batch,10];f32[10,64]->f32[batch,64]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=10, lda=10, ldb=64
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

// ── program global_avg_pool_grad|f32[batch,64]->f32[batch,4,4,64]|shape=["batch",4,4,64]
// workgroup 256×1×1, dispatch [ceil((batch*1024)/256), 1, 1]
// params count=batch*1024, C=64, cells=16
struct Params { count: u32, C: u32, cells: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let c = i % P.C;
    let b = i / (P.C * P.cells);
    dx[i] = dy[b * P.C + c] / f32(P.cells);
  }
}

// ── program relu_grad|f32[batch,4,4,64];f32[batch,4,4,64]->f32[batch,4,4,64]|
// workgroup 256×1×1, dispatch [ceil((batch*1024)/256), 1, 1]
// params count=batch*1024
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

// ── program sum_to|f32[batch,4,4,64]->f32[64]|shape=[64]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64, rows=batch*16
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

// ── program conv2d_grad_input|f32[batch,4,4,64];f32[64,3,3,32]->f32[batch,6,6,32]|dilation=[1,1],padding="valid",shape=["batch",6,6,32],strides=[1,1]
// workgroup 256×1×1, dispatch [ceil((batch*1152)/256), 1, 1]
// params count=batch*1152
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const H = 6i;
const W = 6i;
const C = 32i;
const F = 64i;
const KH = 3i;
const KW = 3i;
const OH = 4i;
const OW = 4i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
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

// ── program conv2d_grad_weight|f32[batch,4,4,64];f32[batch,6,6,32]->f32[64,3,3,32]|dilation=[1,1],padding="valid",shape=[64,3,3,32],strides=[1,1]
// workgroup 256×1×1, dispatch [72, 1, 1]
// params count=18432, batch=batch
struct Params { count: u32, batch: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const H = 6i;
const W = 6i;
const C = 32i;
const F = 64i;
const KH = 3i;
const KW = 3i;
const OH = 4i;
const OW = 4i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
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

// ── program maxpool2d_grad|f32[batch,6,6,32];f32[batch,12,12,32]->f32[batch,12,12,32]|padding="valid",size=[2,2],strides=[2,2]
// workgroup 256×1×1, dispatch [ceil((batch*4608)/256), 1, 1]
// params count=batch*4608
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const H = 12i;
const W = 12i;
const C = 32i;
const F = 32i;
const KH = 2i;
const KW = 2i;
const OH = 6i;
const OW = 6i;
const SH = 2i;
const SW = 2i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let ii = i32(i);
    let c = ii % C;
    let px = (ii / C) % W;
    let py = (ii / (C * W)) % H;
    let b = ii / (C * W * H);
    var acc = 0.0;
    for (var oy = max(0i, (py + TOP - KH + SH) / SH); oy <= min(OH - 1i, (py + TOP) / SH); oy++) {
      for (var ox = max(0i, (px + LEFT - KW + SW) / SW); ox <= min(OW - 1i, (px + LEFT) / SW); ox++) {
        let o = u32(((b * OH + oy) * OW + ox) * C + c);
        var best = 0u;
        var bestValue = -3.402823e38;
        var found = false;
        for (var ky = 0i; ky < KH; ky++) {
          let iy = oy * SH + ky - TOP;
          if (iy < 0i || iy >= H) { continue; }
          for (var kx = 0i; kx < KW; kx++) {
            let ix = ox * SW + kx - LEFT;
            if (ix < 0i || ix >= W) { continue; }
            let at = u32(((b * H + iy) * W + ix) * C + c);
            if (!found || x[at] > bestValue) { best = at; bestValue = x[at]; found = true; }
          }
        }
        if (found && best == i) { acc += dy[o]; }
      }
    }
    dx[i] = acc;
  }
}

// ── program batchnorm_grad|f32[batch,12,12,32];f32[batch,12,12,32];f32[32];f32[32];f32[32]->f32[batch,12,12,32];f32[32];f32[32]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=32, rows=batch*144
struct Params { count: u32, rows: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> mean: array<f32>;
@group(0) @binding(4) var<storage, read> invstd: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
@group(0) @binding(6) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(7) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(8) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let mu = mean[i];
    let inv = invstd[i];
    var db = 0.0;
    var dg = 0.0;
    for (var r = 0u; r < P.rows; r++) {
      let at = r * P.count + i;
      db += dy[at];
      dg += dy[at] * (x[at] - mu) * inv;
    }
    dgamma[i] = dg;
    dbeta[i] = db;
    let n = f32(P.rows);
    for (var r = 0u; r < P.rows; r++) {
      let at = r * P.count + i;
      let xh = (x[at] - mu) * inv;
      dx[at] = gamma[i] * inv / n * (n * dy[at] - db - xh * dg);
    }
  }
}

// ── program relu_grad|f32[batch,12,12,32];f32[batch,12,12,32]->f32[batch,12,12,32]|
// workgroup 256×1×1, dispatch [ceil((batch*4608)/256), 1, 1]
// params count=batch*4608
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

// ── program sum_to|f32[batch,12,12,32]->f32[32]|shape=[32]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=32, rows=batch*144
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

// ── program conv2d_grad_input|f32[batch,12,12,32];f32[32,3,3,16]->f32[batch,14,14,16]|dilation=[1,1],padding="valid",shape=["batch",14,14,16],strides=[1,1]
// workgroup 256×1×1, dispatch [ceil((batch*3136)/256), 1, 1]
// params count=batch*3136
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> wt: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const H = 14i;
const W = 14i;
const C = 16i;
const F = 32i;
const KH = 3i;
const KW = 3i;
const OH = 12i;
const OW = 12i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
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

// ── program conv2d_grad_weight|f32[batch,12,12,32];f32[batch,14,14,16]->f32[32,3,3,16]|dilation=[1,1],padding="valid",shape=[32,3,3,16],strides=[1,1]
// workgroup 256×1×1, dispatch [18, 1, 1]
// params count=4608, batch=batch
struct Params { count: u32, batch: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const H = 14i;
const W = 14i;
const C = 16i;
const F = 32i;
const KH = 3i;
const KW = 3i;
const OH = 12i;
const OW = 12i;
const SH = 1i;
const SW = 1i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
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

// ── program maxpool2d_grad|f32[batch,14,14,16];f32[batch,28,28,16]->f32[batch,28,28,16]|padding="valid",size=[2,2],strides=[2,2]
// workgroup 256×1×1, dispatch [ceil((batch*12544)/256), 1, 1]
// params count=batch*12544
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

const H = 28i;
const W = 28i;
const C = 16i;
const F = 16i;
const KH = 2i;
const KW = 2i;
const OH = 14i;
const OW = 14i;
const SH = 2i;
const SW = 2i;
const DH = 1i;
const DW = 1i;
const TOP = 0i;
const LEFT = 0i;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let ii = i32(i);
    let c = ii % C;
    let px = (ii / C) % W;
    let py = (ii / (C * W)) % H;
    let b = ii / (C * W * H);
    var acc = 0.0;
    for (var oy = max(0i, (py + TOP - KH + SH) / SH); oy <= min(OH - 1i, (py + TOP) / SH); oy++) {
      for (var ox = max(0i, (px + LEFT - KW + SW) / SW); ox <= min(OW - 1i, (px + LEFT) / SW); ox++) {
        let o = u32(((b * OH + oy) * OW + ox) * C + c);
        var best = 0u;
        var bestValue = -3.402823e38;
        var found = false;
        for (var ky = 0i; ky < KH; ky++) {
          let iy = oy * SH + ky - TOP;
          if (iy < 0i || iy >= H) { continue; }
          for (var kx = 0i; kx < KW; kx++) {
            let ix = ox * SW + kx - LEFT;
            if (ix < 0i || ix >= W) { continue; }
            let at = u32(((b * H + iy) * W + ix) * C + c);
            if (!found || x[at] > bestValue) { best = at; bestValue = x[at]; found = true; }
          }
        }
        if (found && best == i) { acc += dy[o]; }
      }
    }
    dx[i] = acc;
  }
}

// ── program relu_grad|f32[batch,28,28,16];f32[batch,28,28,16]->f32[batch,28,28,16]|
// workgroup 256×1×1, dispatch [ceil((batch*12544)/256), 1, 1]
// params count=batch*12544
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

// ── program sum_to|f32[batch,28,28,16]->f32[16]|shape=[16]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=16, rows=batch*784
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

// ── program conv2d_grad_weight|f32[batch,28,28,16];f32[batch,28,28,1]->f32[16,3,3,1]|dilation=[1,1],padding="same",shape=[16,3,3,1],strides=[1,1]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=144, batch=batch
struct Params { count: u32, batch: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

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

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
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

// ── program l1_l2_grad|f32[10,64];f32[10,64]->f32[10,64]|l1=0,l2=0.0001
// workgroup 256×1×1, dispatch [3, 1, 1]
// params count=640
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    out[i] = grad[i] + 0.0 * sign(w[i]) + 0.0002 * w[i];
  }
}

// ── program adamw_update|f32[16,3,3,1];f32[16,3,3,1];f32[16,3,3,1];f32[16,3,3,1]->f32[16,3,3,1];f32[16,3,3,1];f32[16,3,3,1]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=144
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[16];f32[16];f32[16];f32[16]->f32[16];f32[16];f32[16]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[32,3,3,16];f32[32,3,3,16];f32[32,3,3,16];f32[32,3,3,16]->f32[32,3,3,16];f32[32,3,3,16];f32[32,3,3,16]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
// workgroup 256×1×1, dispatch [18, 1, 1]
// params count=4608
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[32];f32[32];f32[32];f32[32]->f32[32];f32[32];f32[32]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[64,3,3,32];f32[64,3,3,32];f32[64,3,3,32];f32[64,3,3,32]->f32[64,3,3,32];f32[64,3,3,32];f32[64,3,3,32]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
// workgroup 256×1×1, dispatch [72, 1, 1]
// params count=18432
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[10,64];f32[10,64];f32[10,64];f32[10,64]->f32[10,64];f32[10,64];f32[10,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
// workgroup 256×1×1, dispatch [3, 1, 1]
// params count=640
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[10];f32[10];f32[10];f32[10]->f32[10];f32[10];f32[10]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.0001
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
    p -= R.lr * 0.0001 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}
