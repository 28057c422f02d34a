// Regressor: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: matmul+bias+relu(x, h.weight, h.bias) -> h/matmul+bias+relu  [matmul+bias+relu@tiled|f32[batch,8];f32[64,8];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 1: matmul+bias+relu(h/matmul+bias+relu, deep/stage/y/residual/h.weight, deep/stage/y/residual/h.bias) -> deep/stage/y/residual/h/matmul+bias+relu  [matmul+bias+relu@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 2: matmul+bias(deep/stage/y/residual/h/matmul+bias+relu, deep/stage/y/residual/dense.weight, deep/stage/y/residual/dense.bias) -> deep/stage/y/residual/dense/matmul+bias  [matmul+bias@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 3: add(h/matmul+bias+relu, deep/stage/y/residual/dense/matmul+bias) -> deep/stage/y/residual/add  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// forward 4: matmul+bias+gelu(deep/stage/y/residual/add, deep/stage/y/h.weight, deep/stage/y/h.bias) -> deep/stage/y/h/matmul+bias+gelu, deep/stage/y/h/matmul+bias+gelu:1  [matmul+bias+gelu@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64];f32[batch,64]|transA=false,transB=true]
// forward 5: matmul+bias(deep/stage/y/h/matmul+bias+gelu, deep/stage/y/dense.weight, deep/stage/y/dense.bias) -> deep/stage/y/dense/matmul+bias  [matmul+bias@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 6: add(deep/stage/y/residual/add, deep/stage/y/dense/matmul+bias) -> deep/stage/y/add  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// forward 7: layernorm(deep/stage/y/add, deep/stage.gamma, deep/stage.beta) -> deep/stage/layernorm, deep/stage/layernorm:1, deep/stage/layernorm:2  [layernorm|f32[batch,64];f32[64];f32[64]->f32[batch,64];f32[batch];f32[batch]|epsilon=0.001]
// forward 8: matmul+bias+relu(deep/stage/layernorm, deep/y/residual/h.weight, deep/y/residual/h.bias) -> deep/y/residual/h/matmul+bias+relu  [matmul+bias+relu@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 9: matmul+bias(deep/y/residual/h/matmul+bias+relu, deep/y/residual/dense.weight, deep/y/residual/dense.bias) -> deep/y/residual/dense/matmul+bias  [matmul+bias@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 10: add(deep/stage/layernorm, deep/y/residual/dense/matmul+bias) -> deep/y/residual/add  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// forward 11: matmul+bias+gelu(deep/y/residual/add, deep/y/h.weight, deep/y/h.bias) -> deep/y/h/matmul+bias+gelu, deep/y/h/matmul+bias+gelu:1  [matmul+bias+gelu@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64];f32[batch,64]|transA=false,transB=true]
// forward 12: matmul+bias(deep/y/h/matmul+bias+gelu, deep/y/dense.weight, deep/y/dense.bias) -> deep/y/dense/matmul+bias  [matmul+bias@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true]
// forward 13: add(deep/y/residual/add, deep/y/dense/matmul+bias) -> deep/y/add  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// forward 14: layernorm(deep/y/add, deep.gamma, deep.beta) -> deep/layernorm, deep/layernorm:1, deep/layernorm:2  [layernorm|f32[batch,64];f32[64];f32[64]->f32[batch,64];f32[batch];f32[batch]|epsilon=0.001]
// forward 15: matmul+bias(deep/layernorm, prediction.weight, prediction.bias) -> prediction/matmul+bias  [matmul+bias@direct|f32[batch,64];f32[1,64];f32[1]->f32[batch,1]|transA=false,transB=true]
// backward 0: huber_loss(prediction/matmul+bias, target) -> loss/huber_loss, loss/huber_loss:1  [huber_loss|f32[batch,1];f32[batch,1]->f32[];f32[batch,1]|delta=1]
// backward 1: l1_l2_penalty(h.weight) -> h/l1_l2_penalty  [l1_l2_penalty|f32[64,8]->f32[]|l1=0,l2=0.00001]
// backward 2: add(loss/huber_loss, h/l1_l2_penalty) -> h/add  [add|f32[];f32[]->f32[]|]
// backward 3: l1_l2_penalty(deep/stage/y/residual/h.weight) -> deep/stage/y/residual/h/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 4: add(h/add, deep/stage/y/residual/h/l1_l2_penalty) -> deep/stage/y/residual/h/add  [add|f32[];f32[]->f32[]|]
// backward 5: l1_l2_penalty(deep/stage/y/residual/dense.weight) -> deep/stage/y/residual/dense/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 6: add(deep/stage/y/residual/h/add, deep/stage/y/residual/dense/l1_l2_penalty) -> deep/stage/y/residual/dense/add  [add|f32[];f32[]->f32[]|]
// backward 7: l1_l2_penalty(deep/stage/y/h.weight) -> deep/stage/y/h/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 8: add(deep/stage/y/residual/dense/add, deep/stage/y/h/l1_l2_penalty) -> deep/stage/y/h/add  [add|f32[];f32[]->f32[]|]
// backward 9: l1_l2_penalty(deep/stage/y/dense.weight) -> deep/stage/y/dense/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 10: add(deep/stage/y/h/add, deep/stage/y/dense/l1_l2_penalty) -> deep/stage/y/dense/add  [add|f32[];f32[]->f32[]|]
// backward 11: l1_l2_penalty(deep/y/residual/h.weight) -> deep/y/residual/h/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 12: add(deep/stage/y/dense/add, deep/y/residual/h/l1_l2_penalty) -> deep/y/residual/h/add  [add|f32[];f32[]->f32[]|]
// backward 13: l1_l2_penalty(deep/y/residual/dense.weight) -> deep/y/residual/dense/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 14: add(deep/y/residual/h/add, deep/y/residual/dense/l1_l2_penalty) -> deep/y/residual/dense/add  [add|f32[];f32[]->f32[]|]
// backward 15: l1_l2_penalty(deep/y/h.weight) -> deep/y/h/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 16: add(deep/y/residual/dense/add, deep/y/h/l1_l2_penalty) -> deep/y/h/add  [add|f32[];f32[]->f32[]|]
// backward 17: l1_l2_penalty(deep/y/dense.weight) -> deep/y/dense/l1_l2_penalty  [l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001]
// backward 18: add(deep/y/h/add, deep/y/dense/l1_l2_penalty) -> deep/y/dense/add  [add|f32[];f32[]->f32[]|]
// backward 19: l1_l2_penalty(prediction.weight) -> prediction/l1_l2_penalty  [l1_l2_penalty|f32[1,64]->f32[]|l1=0,l2=0.00001]
// backward 20: add(deep/y/dense/add, prediction/l1_l2_penalty) -> prediction/add  [add|f32[];f32[]->f32[]|]
// backward 21: sum_to(loss/huber_loss:1) -> prediction/sum_to  [sum_to|f32[batch,1]->f32[1]|shape=[1]]
// backward 22: matmul(loss/huber_loss:1, prediction.weight) -> prediction/matmul  [matmul@tiled|f32[batch,1];f32[1,64]->f32[batch,64]|transA=false,transB=false]
// backward 23: matmul(loss/huber_loss:1, deep/layernorm) -> prediction/matmul#2  [matmul@direct|f32[batch,1];f32[batch,64]->f32[1,64]|transA=true,transB=false]
// backward 24: layernorm_grad(prediction/matmul, deep/y/add, deep.gamma, deep/layernorm:1, deep/layernorm:2) -> deep/layernorm_grad, deep/layernorm_grad:1, deep/layernorm_grad:2  [layernorm_grad|f32[batch,64];f32[batch,64];f32[64];f32[batch];f32[batch]->f32[batch,64];f32[64];f32[64]|]
// backward 25: sum_to(deep/layernorm_grad) -> deep/y/dense/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 26: matmul(deep/layernorm_grad, deep/y/dense.weight) -> deep/y/dense/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 27: matmul(deep/layernorm_grad, deep/y/h/matmul+bias+gelu) -> deep/y/dense/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 28: gelu_grad(deep/y/dense/matmul, deep/y/h/matmul+bias+gelu:1) -> deep/y/h/gelu_grad  [gelu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 29: sum_to(deep/y/h/gelu_grad) -> deep/y/h/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 30: matmul(deep/y/h/gelu_grad, deep/y/h.weight) -> deep/y/h/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 31: matmul(deep/y/h/gelu_grad, deep/y/residual/add) -> deep/y/h/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 32: add(deep/layernorm_grad, deep/y/h/matmul) -> deep/y/residual/add#2  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 33: sum_to(deep/y/residual/add#2) -> deep/y/residual/dense/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 34: matmul(deep/y/residual/add#2, deep/y/residual/dense.weight) -> deep/y/residual/dense/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 35: matmul(deep/y/residual/add#2, deep/y/residual/h/matmul+bias+relu) -> deep/y/residual/dense/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 36: relu_grad(deep/y/residual/dense/matmul, deep/y/residual/h/matmul+bias+relu) -> deep/y/residual/h/relu_grad  [relu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 37: sum_to(deep/y/residual/h/relu_grad) -> deep/y/residual/h/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 38: matmul(deep/y/residual/h/relu_grad, deep/y/residual/h.weight) -> deep/y/residual/h/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 39: matmul(deep/y/residual/h/relu_grad, deep/stage/layernorm) -> deep/y/residual/h/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 40: add(deep/y/residual/add#2, deep/y/residual/h/matmul) -> deep/stage/add  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 41: layernorm_grad(deep/stage/add, deep/stage/y/add, deep/stage.gamma, deep/stage/layernorm:1, deep/stage/layernorm:2) -> deep/stage/layernorm_grad, deep/stage/layernorm_grad:1, deep/stage/layernorm_grad:2  [layernorm_grad|f32[batch,64];f32[batch,64];f32[64];f32[batch];f32[batch]->f32[batch,64];f32[64];f32[64]|]
// backward 42: sum_to(deep/stage/layernorm_grad) -> deep/stage/y/dense/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 43: matmul(deep/stage/layernorm_grad, deep/stage/y/dense.weight) -> deep/stage/y/dense/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 44: matmul(deep/stage/layernorm_grad, deep/stage/y/h/matmul+bias+gelu) -> deep/stage/y/dense/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 45: gelu_grad(deep/stage/y/dense/matmul, deep/stage/y/h/matmul+bias+gelu:1) -> deep/stage/y/h/gelu_grad  [gelu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 46: sum_to(deep/stage/y/h/gelu_grad) -> deep/stage/y/h/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 47: matmul(deep/stage/y/h/gelu_grad, deep/stage/y/h.weight) -> deep/stage/y/h/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 48: matmul(deep/stage/y/h/gelu_grad, deep/stage/y/residual/add) -> deep/stage/y/h/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 49: add(deep/stage/layernorm_grad, deep/stage/y/h/matmul) -> deep/stage/y/residual/add#2  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 50: sum_to(deep/stage/y/residual/add#2) -> deep/stage/y/residual/dense/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 51: matmul(deep/stage/y/residual/add#2, deep/stage/y/residual/dense.weight) -> deep/stage/y/residual/dense/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 52: matmul(deep/stage/y/residual/add#2, deep/stage/y/residual/h/matmul+bias+relu) -> deep/stage/y/residual/dense/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 53: relu_grad(deep/stage/y/residual/dense/matmul, deep/stage/y/residual/h/matmul+bias+relu) -> deep/stage/y/residual/h/relu_grad  [relu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 54: sum_to(deep/stage/y/residual/h/relu_grad) -> deep/stage/y/residual/h/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 55: matmul(deep/stage/y/residual/h/relu_grad, deep/stage/y/residual/h.weight) -> deep/stage/y/residual/h/matmul  [matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false]
// backward 56: matmul(deep/stage/y/residual/h/relu_grad, h/matmul+bias+relu) -> deep/stage/y/residual/h/matmul#2  [matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false]
// backward 57: add(deep/stage/y/residual/add#2, deep/stage/y/residual/h/matmul) -> h/add#2  [add|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 58: relu_grad(h/add#2, h/matmul+bias+relu) -> h/relu_grad  [relu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|]
// backward 59: sum_to(h/relu_grad) -> h/sum_to  [sum_to|f32[batch,64]->f32[64]|shape=[64]]
// backward 60: matmul(h/relu_grad, x) -> h/matmul  [matmul@direct|f32[batch,64];f32[batch,8]->f32[64,8]|transA=true,transB=false]
// backward 61: l1_l2_grad(h/matmul, h.weight) -> h/l1_l2_grad  [l1_l2_grad|f32[64,8];f32[64,8]->f32[64,8]|l1=0,l2=0.00001]
// backward 62: l1_l2_grad(deep/stage/y/residual/h/matmul#2, deep/stage/y/residual/h.weight) -> deep/stage/y/residual/h/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 63: l1_l2_grad(deep/stage/y/residual/dense/matmul#2, deep/stage/y/residual/dense.weight) -> deep/stage/y/residual/dense/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 64: l1_l2_grad(deep/stage/y/h/matmul#2, deep/stage/y/h.weight) -> deep/stage/y/h/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 65: l1_l2_grad(deep/stage/y/dense/matmul#2, deep/stage/y/dense.weight) -> deep/stage/y/dense/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 66: l1_l2_grad(deep/y/residual/h/matmul#2, deep/y/residual/h.weight) -> deep/y/residual/h/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 67: l1_l2_grad(deep/y/residual/dense/matmul#2, deep/y/residual/dense.weight) -> deep/y/residual/dense/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 68: l1_l2_grad(deep/y/h/matmul#2, deep/y/h.weight) -> deep/y/h/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 69: l1_l2_grad(deep/y/dense/matmul#2, deep/y/dense.weight) -> deep/y/dense/l1_l2_grad  [l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001]
// backward 70: l1_l2_grad(prediction/matmul#2, prediction.weight) -> prediction/l1_l2_grad  [l1_l2_grad|f32[1,64];f32[1,64]->f32[1,64]|l1=0,l2=0.00001]
// update 0: rmsprop_update(h.weight, h/l1_l2_grad, h.weight.ms, h.weight.mom) -> h.weight, h.weight.ms, h.weight.mom  [rmsprop_update|f32[64,8];f32[64,8];f32[64,8];f32[64,8]->f32[64,8];f32[64,8];f32[64,8]|epsilon=1e-7,momentum=0,rho=0.9]
// update 1: rmsprop_update(h.bias, h/sum_to, h.bias.ms, h.bias.mom) -> h.bias, h.bias.ms, h.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 2: rmsprop_update(deep/stage/y/residual/h.weight, deep/stage/y/residual/h/l1_l2_grad, deep/stage/y/residual/h.weight.ms, deep/stage/y/residual/h.weight.mom) -> deep/stage/y/residual/h.weight, deep/stage/y/residual/h.weight.ms, deep/stage/y/residual/h.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 3: rmsprop_update(deep/stage/y/residual/h.bias, deep/stage/y/residual/h/sum_to, deep/stage/y/residual/h.bias.ms, deep/stage/y/residual/h.bias.mom) -> deep/stage/y/residual/h.bias, deep/stage/y/residual/h.bias.ms, deep/stage/y/residual/h.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 4: rmsprop_update(deep/stage/y/residual/dense.weight, deep/stage/y/residual/dense/l1_l2_grad, deep/stage/y/residual/dense.weight.ms, deep/stage/y/residual/dense.weight.mom) -> deep/stage/y/residual/dense.weight, deep/stage/y/residual/dense.weight.ms, deep/stage/y/residual/dense.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 5: rmsprop_update(deep/stage/y/residual/dense.bias, deep/stage/y/residual/dense/sum_to, deep/stage/y/residual/dense.bias.ms, deep/stage/y/residual/dense.bias.mom) -> deep/stage/y/residual/dense.bias, deep/stage/y/residual/dense.bias.ms, deep/stage/y/residual/dense.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 6: rmsprop_update(deep/stage/y/h.weight, deep/stage/y/h/l1_l2_grad, deep/stage/y/h.weight.ms, deep/stage/y/h.weight.mom) -> deep/stage/y/h.weight, deep/stage/y/h.weight.ms, deep/stage/y/h.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 7: rmsprop_update(deep/stage/y/h.bias, deep/stage/y/h/sum_to, deep/stage/y/h.bias.ms, deep/stage/y/h.bias.mom) -> deep/stage/y/h.bias, deep/stage/y/h.bias.ms, deep/stage/y/h.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 8: rmsprop_update(deep/stage/y/dense.weight, deep/stage/y/dense/l1_l2_grad, deep/stage/y/dense.weight.ms, deep/stage/y/dense.weight.mom) -> deep/stage/y/dense.weight, deep/stage/y/dense.weight.ms, deep/stage/y/dense.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 9: rmsprop_update(deep/stage/y/dense.bias, deep/stage/y/dense/sum_to, deep/stage/y/dense.bias.ms, deep/stage/y/dense.bias.mom) -> deep/stage/y/dense.bias, deep/stage/y/dense.bias.ms, deep/stage/y/dense.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 10: rmsprop_update(deep/stage.gamma, deep/stage/layernorm_grad:1, deep/stage.gamma.ms, deep/stage.gamma.mom) -> deep/stage.gamma, deep/stage.gamma.ms, deep/stage.gamma.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 11: rmsprop_update(deep/stage.beta, deep/stage/layernorm_grad:2, deep/stage.beta.ms, deep/stage.beta.mom) -> deep/stage.beta, deep/stage.beta.ms, deep/stage.beta.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 12: rmsprop_update(deep/y/residual/h.weight, deep/y/residual/h/l1_l2_grad, deep/y/residual/h.weight.ms, deep/y/residual/h.weight.mom) -> deep/y/residual/h.weight, deep/y/residual/h.weight.ms, deep/y/residual/h.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 13: rmsprop_update(deep/y/residual/h.bias, deep/y/residual/h/sum_to, deep/y/residual/h.bias.ms, deep/y/residual/h.bias.mom) -> deep/y/residual/h.bias, deep/y/residual/h.bias.ms, deep/y/residual/h.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 14: rmsprop_update(deep/y/residual/dense.weight, deep/y/residual/dense/l1_l2_grad, deep/y/residual/dense.weight.ms, deep/y/residual/dense.weight.mom) -> deep/y/residual/dense.weight, deep/y/residual/dense.weight.ms, deep/y/residual/dense.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 15: rmsprop_update(deep/y/residual/dense.bias, deep/y/residual/dense/sum_to, deep/y/residual/dense.bias.ms, deep/y/residual/dense.bias.mom) -> deep/y/residual/dense.bias, deep/y/residual/dense.bias.ms, deep/y/residual/dense.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 16: rmsprop_update(deep/y/h.weight, deep/y/h/l1_l2_grad, deep/y/h.weight.ms, deep/y/h.weight.mom) -> deep/y/h.weight, deep/y/h.weight.ms, deep/y/h.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 17: rmsprop_update(deep/y/h.bias, deep/y/h/sum_to, deep/y/h.bias.ms, deep/y/h.bias.mom) -> deep/y/h.bias, deep/y/h.bias.ms, deep/y/h.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 18: rmsprop_update(deep/y/dense.weight, deep/y/dense/l1_l2_grad, deep/y/dense.weight.ms, deep/y/dense.weight.mom) -> deep/y/dense.weight, deep/y/dense.weight.ms, deep/y/dense.weight.mom  [rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 19: rmsprop_update(deep/y/dense.bias, deep/y/dense/sum_to, deep/y/dense.bias.ms, deep/y/dense.bias.mom) -> deep/y/dense.bias, deep/y/dense.bias.ms, deep/y/dense.bias.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 20: rmsprop_update(deep.gamma, deep/layernorm_grad:1, deep.gamma.ms, deep.gamma.mom) -> deep.gamma, deep.gamma.ms, deep.gamma.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 21: rmsprop_update(deep.beta, deep/layernorm_grad:2, deep.beta.ms, deep.beta.mom) -> deep.beta, deep.beta.ms, deep.beta.mom  [rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 22: rmsprop_update(prediction.weight, prediction/l1_l2_grad, prediction.weight.ms, prediction.weight.mom) -> prediction.weight, prediction.weight.ms, prediction.weight.mom  [rmsprop_update|f32[1,64];f32[1,64];f32[1,64];f32[1,64]->f32[1,64];f32[1,64];f32[1,64]|epsilon=1e-7,momentum=0,rho=0.9]
// update 23: rmsprop_update(prediction.bias, prediction/sum_to, prediction.bias.ms, prediction.bias.mom) -> prediction.bias, prediction.bias.ms, prediction.bias.mom  [rmsprop_update|f32[1];f32[1];f32[1];f32[1]->f32[1];f32[1];f32[1]|epsilon=1e-7,momentum=0,rho=0.9]

// ── program matmul+bias+relu@tiled|f32[batch,8];f32[64,8];f32[64]->f32[batch,64]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=8, lda=8, ldb=8
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

// ── program matmul+bias+relu@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=64, lda=64, ldb=64
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

// ── program matmul+bias@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=64, lda=64, ldb=64
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

// ── program add|f32[batch,64];f32[batch,64]->f32[batch,64]|
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64
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

// ── program matmul+bias+gelu@tiled|f32[batch,64];f32[64,64];f32[64]->f32[batch,64];f32[batch,64]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=64, lda=64, ldb=64
struct Params { M: u32, N: u32, K: u32, lda: u32, ldb: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> pre: array<f32>;
@group(0) @binding(5) var<uniform> P: Params;

fn nn_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn act_gelu(x: f32) -> f32 {
  return 0.5 * x * (1.0 + nn_tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
}

fn load_a(m: u32, k: u32) -> f32 { return a[m * P.lda + k]; }
fn load_b(k: u32, n: u32) -> f32 { return b[n * P.ldb + k]; }

fn store(m: u32, n: u32, acc: f32) {
  var v = acc;
  v = v + bias[n];
  pre[m * P.N + n] = v;
  v = act_gelu(v);
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

// ── program layernorm|f32[batch,64];f32[64];f32[64]->f32[batch,64];f32[batch];f32[batch]|epsilon=0.001
// workgroup 256×1×1, dispatch [ceil(batch/256), 1, 1]
// params count=batch, width=64
struct Params { count: u32, width: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> gamma: array<f32>;
@group(0) @binding(2) var<storage, read> beta: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> mean: array<f32>;
@group(0) @binding(5) var<storage, read_write> invstd: array<f32>;
@group(0) @binding(6) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let base = i * P.width;
    var mu = 0.0;
    for (var j = 0u; j < P.width; j++) { mu += x[base + j]; }
    mu = mu / f32(P.width);
    var vr = 0.0;
    for (var j = 0u; j < P.width; j++) { let d = x[base + j] - mu; vr += d * d; }
    let inv = inverseSqrt(vr / f32(P.width) + 0.001);
    mean[i] = mu;
    invstd[i] = inv;
    for (var j = 0u; j < P.width; j++) { y[base + j] = gamma[j] * (x[base + j] - mu) * inv + beta[j]; }
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

// ── program huber_loss|f32[batch,1];f32[batch,1]->f32[];f32[batch,1]|delta=1
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=batch
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> tgt: array<f32>;
@group(0) @binding(2) var<storage, read_write> loss_out: array<f32>;
@group(0) @binding(3) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  var acc = 0.0;
  for (var i = lid.x; i < P.count; i += 256u) {
    let p = pred[i];
    let t = tgt[i];
    let d = p - t;
    let ad = abs(d);
    let loss = select(1.0 * (ad - 0.5 * 1.0), 0.5 * d * d, ad <= 1.0);
    let grad = select(1.0 * sign(d), d, ad <= 1.0);
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

// ── program l1_l2_penalty|f32[64,8]->f32[]|l1=0,l2=0.00001
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=512
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
    acc += 0.0 * abs(v) + 0.00001 * v * v;
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

// ── program l1_l2_penalty|f32[64,64]->f32[]|l1=0,l2=0.00001
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=4096
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
    acc += 0.0 * abs(v) + 0.00001 * v * v;
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

// ── program l1_l2_penalty|f32[1,64]->f32[]|l1=0,l2=0.00001
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64
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
    acc += 0.0 * abs(v) + 0.00001 * v * v;
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

// ── program layernorm_grad|f32[batch,64];f32[batch,64];f32[64];f32[batch];f32[batch]->f32[batch,64];f32[64];f32[64]|
// workgroup 256×1×1, dispatch [ceil((batch+64)/256), 1, 1]
// params count=batch+64, rows=batch, width=64
struct Params { count: u32, rows: u32, width: u32 }
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
    if (i < P.rows) {
      let base = i * P.width;
      let mu = mean[i];
      let inv = invstd[i];
      var sg = 0.0;
      var sgx = 0.0;
      for (var j = 0u; j < P.width; j++) {
        let g = dy[base + j] * gamma[j];
        sg += g;
        sgx += g * (x[base + j] - mu) * inv;
      }
      let w = f32(P.width);
      for (var j = 0u; j < P.width; j++) {
        let xh = (x[base + j] - mu) * inv;
        dx[base + j] = inv / w * (w * dy[base + j] * gamma[j] - sg - xh * sgx);
      }
    }
    if (i < P.width) {
      var dg = 0.0;
      var db = 0.0;
      for (var r = 0u; r < P.rows; r++) {
        let g = dy[r * P.width + i];
        dg += g * (x[r * P.width + i] - mean[r]) * invstd[r];
        db += g;
      }
      dgamma[i] = dg;
      dbeta[i] = db;
    }
  }
}

// ── program sum_to|f32[batch,64]->f32[64]|shape=[64]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64, rows=batch
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

// ── program matmul@tiled|f32[batch,64];f32[64,64]->f32[batch,64]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil(batch/64), 1]
// params M=batch, N=64, K=64, lda=64, ldb=64
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

// ── program matmul@tiled|f32[batch,64];f32[batch,64]->f32[64,64]|transA=true,transB=false
// workgroup 16×16×1, dispatch [1, 1, 1]
// params M=64, N=64, K=batch, lda=64, ldb=64
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

// ── program gelu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> dx: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

fn nn_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn grad_gelu(dy: f32, v: f32) -> f32 {
  let u = 0.7978845608028654 * (v + 0.044715 * v * v * v);
  let t = nn_tanh(u);
  let du = 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * v * v);
  return dy * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du);
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    dx[i] = grad_gelu(dy[i], v[i]);
  }
}

// ── program relu_grad|f32[batch,64];f32[batch,64]->f32[batch,64]|
// workgroup 256×1×1, dispatch [ceil((batch*64)/256), 1, 1]
// params count=batch*64
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

// ── program matmul@direct|f32[batch,64];f32[batch,8]->f32[64,8]|transA=true,transB=false
// workgroup 64×1×1, dispatch [8, 1, 1]
// params M=64, N=8, K=batch, lda=64, ldb=8
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

// ── program l1_l2_grad|f32[64,8];f32[64,8]->f32[64,8]|l1=0,l2=0.00001
// workgroup 256×1×1, dispatch [2, 1, 1]
// params count=512
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    out[i] = grad[i] + 0.0 * sign(w[i]) + 0.00002 * w[i];
  }
}

// ── program l1_l2_grad|f32[64,64];f32[64,64]->f32[64,64]|l1=0,l2=0.00001
// workgroup 256×1×1, dispatch [16, 1, 1]
// params count=4096
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    out[i] = grad[i] + 0.0 * sign(w[i]) + 0.00002 * w[i];
  }
}

// ── program l1_l2_grad|f32[1,64];f32[1,64]->f32[1,64]|l1=0,l2=0.00001
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64
struct Params { count: u32 }
@group(0) @binding(0) var<storage, read> grad: array<f32>;
@group(0) @binding(1) var<storage, read> w: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    out[i] = grad[i] + 0.0 * sign(w[i]) + 0.00002 * w[i];
  }
}

// ── program rmsprop_update|f32[64,8];f32[64,8];f32[64,8];f32[64,8]->f32[64,8];f32[64,8];f32[64,8]|epsilon=1e-7,momentum=0,rho=0.9
// workgroup 256×1×1, dispatch [2, 1, 1]
// params count=512
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> ms: array<f32>;
@group(0) @binding(3) var<storage, read_write> mom: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let s = 0.9 * ms[i] + (1.0 - 0.9) * g * g;
    ms[i] = s;
    let mo = 0.0 * mom[i] + R.lr * g / (sqrt(s) + 1e-7);
    mom[i] = mo;
    param[i] -= mo;
  }
}

// ── program rmsprop_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|epsilon=1e-7,momentum=0,rho=0.9
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> ms: array<f32>;
@group(0) @binding(3) var<storage, read_write> mom: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let s = 0.9 * ms[i] + (1.0 - 0.9) * g * g;
    ms[i] = s;
    let mo = 0.0 * mom[i] + R.lr * g / (sqrt(s) + 1e-7);
    mom[i] = mo;
    param[i] -= mo;
  }
}

// ── program rmsprop_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|epsilon=1e-7,momentum=0,rho=0.9
// workgroup 256×1×1, dispatch [16, 1, 1]
// params count=4096
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> ms: array<f32>;
@group(0) @binding(3) var<storage, read_write> mom: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let s = 0.9 * ms[i] + (1.0 - 0.9) * g * g;
    ms[i] = s;
    let mo = 0.0 * mom[i] + R.lr * g / (sqrt(s) + 1e-7);
    mom[i] = mo;
    param[i] -= mo;
  }
}

// ── program rmsprop_update|f32[1,64];f32[1,64];f32[1,64];f32[1,64]->f32[1,64];f32[1,64];f32[1,64]|epsilon=1e-7,momentum=0,rho=0.9
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> ms: array<f32>;
@group(0) @binding(3) var<storage, read_write> mom: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let s = 0.9 * ms[i] + (1.0 - 0.9) * g * g;
    ms[i] = s;
    let mo = 0.0 * mom[i] + R.lr * g / (sqrt(s) + 1e-7);
    mom[i] = mo;
    param[i] -= mo;
  }
}

// ── program rmsprop_update|f32[1];f32[1];f32[1];f32[1]->f32[1];f32[1];f32[1]|epsilon=1e-7,momentum=0,rho=0.9
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=1
struct Params { count: u32 }
struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }
@group(0) @binding(0) var<storage, read_write> param: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> ms: array<f32>;
@group(0) @binding(3) var<storage, read_write> mom: array<f32>;
@group(0) @binding(4) var<uniform> P: Params;
@group(0) @binding(5) var<uniform> R: Runtime;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let g = grad[i];
    let s = 0.9 * ms[i] + (1.0 - 0.9) * g * g;
    ms[i] = s;
    let mo = 0.0 * mom[i] + R.lr * g / (sqrt(s) + 1e-7);
    mom[i] = mo;
    param[i] -= mo;
  }
}
