// TinyTransformer: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)
//
// forward 0: embedding(tokens, h/embedding.table) -> h/embedding/embedding  [embedding|i32[batch,seq];f32[256,64]->f32[batch,seq,64]|]
// forward 1: positional_encoding(h/embedding/embedding) -> h/positional_encoding/positional_encoding  [positional_encoding|f32[batch,seq,64]->f32[batch,seq,64]|]
// forward 2: layernorm(h/positional_encoding/positional_encoding, h/decoder/attended/layernorm.gamma, h/decoder/attended/layernorm.beta) -> h/decoder/attended/layernorm/layernorm, h/decoder/attended/layernorm/layernorm:1, h/decoder/attended/layernorm/layernorm:2  [layernorm|f32[batch,seq,64];f32[64];f32[64]->f32[batch,seq,64];f32[batch,seq];f32[batch,seq]|epsilon=0.001]
// forward 3: matmul+bias(h/decoder/attended/layernorm/layernorm, h/decoder/attended.wq, h/decoder/attended.bq) -> h/decoder/attended/matmul+bias  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 4: matmul+bias(h/decoder/attended/layernorm/layernorm, h/decoder/attended.wk, h/decoder/attended.bk) -> h/decoder/attended/matmul+bias#2  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 5: matmul+bias(h/decoder/attended/layernorm/layernorm, h/decoder/attended.wv, h/decoder/attended.bv) -> h/decoder/attended/matmul+bias#3  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 6: attention(h/decoder/attended/matmul+bias, h/decoder/attended/matmul+bias#2, h/decoder/attended/matmul+bias#3) -> h/decoder/attended/attention, h/decoder/attended/attention:1  [attention|f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64];f32[batch,4,seq,seq]|causal=true,heads=4]
// forward 7: matmul+bias(h/decoder/attended/attention, h/decoder/attended.wo, h/decoder/attended.bo) -> h/decoder/attended/matmul+bias#4  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 8: add(h/positional_encoding/positional_encoding, h/decoder/attended/matmul+bias#4) -> h/decoder/h/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// forward 9: layernorm(h/decoder/h/add, h/decoder/ff/layernorm.gamma, h/decoder/ff/layernorm.beta) -> h/decoder/ff/layernorm/layernorm, h/decoder/ff/layernorm/layernorm:1, h/decoder/ff/layernorm/layernorm:2  [layernorm|f32[batch,seq,64];f32[64];f32[64]->f32[batch,seq,64];f32[batch,seq];f32[batch,seq]|epsilon=0.001]
// forward 10: matmul+bias+gelu(h/decoder/ff/layernorm/layernorm, h/decoder/ff/dense.weight, h/decoder/ff/dense.bias) -> h/decoder/ff/dense/matmul+bias+gelu, h/decoder/ff/dense/matmul+bias+gelu:1  [matmul+bias+gelu@tiled|f32[batch,seq,64];f32[256,64];f32[256]->f32[batch,seq,256];f32[batch,seq,256]|transA=false,transB=true]
// forward 11: matmul+bias(h/decoder/ff/dense/matmul+bias+gelu, h/decoder/ff.weight, h/decoder/ff.bias) -> h/decoder/ff/matmul+bias  [matmul+bias@tiled|f32[batch,seq,256];f32[64,256];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 12: add(h/decoder/h/add, h/decoder/ff/matmul+bias) -> h/decoder/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// forward 13: layernorm(h/decoder/add, h/attended/layernorm.gamma, h/attended/layernorm.beta) -> h/attended/layernorm/layernorm, h/attended/layernorm/layernorm:1, h/attended/layernorm/layernorm:2  [layernorm|f32[batch,seq,64];f32[64];f32[64]->f32[batch,seq,64];f32[batch,seq];f32[batch,seq]|epsilon=0.001]
// forward 14: matmul+bias(h/attended/layernorm/layernorm, h/attended.wq, h/attended.bq) -> h/attended/matmul+bias  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 15: matmul+bias(h/attended/layernorm/layernorm, h/attended.wk, h/attended.bk) -> h/attended/matmul+bias#2  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 16: matmul+bias(h/attended/layernorm/layernorm, h/attended.wv, h/attended.bv) -> h/attended/matmul+bias#3  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 17: attention(h/attended/matmul+bias, h/attended/matmul+bias#2, h/attended/matmul+bias#3) -> h/attended/attention, h/attended/attention:1  [attention|f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64];f32[batch,4,seq,seq]|causal=true,heads=4]
// forward 18: matmul+bias(h/attended/attention, h/attended.wo, h/attended.bo) -> h/attended/matmul+bias#4  [matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 19: add(h/decoder/add, h/attended/matmul+bias#4) -> h/h/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// forward 20: layernorm(h/h/add, h/ff/layernorm.gamma, h/ff/layernorm.beta) -> h/ff/layernorm/layernorm, h/ff/layernorm/layernorm:1, h/ff/layernorm/layernorm:2  [layernorm|f32[batch,seq,64];f32[64];f32[64]->f32[batch,seq,64];f32[batch,seq];f32[batch,seq]|epsilon=0.001]
// forward 21: matmul+bias+gelu(h/ff/layernorm/layernorm, h/ff/dense.weight, h/ff/dense.bias) -> h/ff/dense/matmul+bias+gelu, h/ff/dense/matmul+bias+gelu:1  [matmul+bias+gelu@tiled|f32[batch,seq,64];f32[256,64];f32[256]->f32[batch,seq,256];f32[batch,seq,256]|transA=false,transB=true]
// forward 22: matmul+bias(h/ff/dense/matmul+bias+gelu, h/ff.weight, h/ff.bias) -> h/ff/matmul+bias  [matmul+bias@tiled|f32[batch,seq,256];f32[64,256];f32[64]->f32[batch,seq,64]|transA=false,transB=true]
// forward 23: add(h/h/add, h/ff/matmul+bias) -> h/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// forward 24: layernorm(h/add, logits/layernorm.gamma, logits/layernorm.beta) -> logits/layernorm/layernorm, logits/layernorm/layernorm:1, logits/layernorm/layernorm:2  [layernorm|f32[batch,seq,64];f32[64];f32[64]->f32[batch,seq,64];f32[batch,seq];f32[batch,seq]|epsilon=0.001]
// forward 25: matmul+bias(logits/layernorm/layernorm, logits.weight, logits.bias) -> logits/matmul+bias  [matmul+bias@tiled|f32[batch,seq,64];f32[256,64];f32[256]->f32[batch,seq,256]|transA=false,transB=true]
// forward 26: softmax(logits/matmul+bias) -> probs/softmax  [softmax|f32[batch,seq,256]->f32[batch,seq,256]|]
// backward 0: sparse_softmax_cross_entropy_loss(logits/matmul+bias, next) -> loss/sparse_softmax_cross_entropy_loss, loss/sparse_softmax_cross_entropy_loss:1  [sparse_softmax_cross_entropy_loss|f32[batch,seq,256];i32[batch,seq]->f32[];f32[batch,seq,256]|]
// backward 1: sum_to(loss/sparse_softmax_cross_entropy_loss:1) -> logits/sum_to  [sum_to|f32[batch,seq,256]->f32[256]|shape=[256]]
// backward 2: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits.weight) -> logits/matmul  [matmul@tiled|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 3: matmul(loss/sparse_softmax_cross_entropy_loss:1, logits/layernorm/layernorm) -> logits/matmul#2  [matmul@tiled|f32[batch,seq,256];f32[batch,seq,64]->f32[256,64]|transA=true,transB=false]
// backward 4: layernorm_grad(logits/matmul, h/add, logits/layernorm.gamma, logits/layernorm/layernorm:1, logits/layernorm/layernorm:2) -> logits/layernorm/layernorm_grad, logits/layernorm/layernorm_grad:1, logits/layernorm/layernorm_grad:2  [layernorm_grad|f32[batch,seq,64];f32[batch,seq,64];f32[64];f32[batch,seq];f32[batch,seq]->f32[batch,seq,64];f32[64];f32[64]|]
// backward 5: sum_to(logits/layernorm/layernorm_grad) -> h/ff/sum_to  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 6: matmul(logits/layernorm/layernorm_grad, h/ff.weight) -> h/ff/matmul  [matmul@tiled|f32[batch,seq,64];f32[64,256]->f32[batch,seq,256]|transA=false,transB=false]
// backward 7: matmul(logits/layernorm/layernorm_grad, h/ff/dense/matmul+bias+gelu) -> h/ff/matmul#2  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,256]->f32[64,256]|transA=true,transB=false]
// backward 8: gelu_grad(h/ff/matmul, h/ff/dense/matmul+bias+gelu:1) -> h/ff/dense/gelu_grad  [gelu_grad|f32[batch,seq,256];f32[batch,seq,256]->f32[batch,seq,256]|]
// backward 9: sum_to(h/ff/dense/gelu_grad) -> h/ff/dense/sum_to  [sum_to|f32[batch,seq,256]->f32[256]|shape=[256]]
// backward 10: matmul(h/ff/dense/gelu_grad, h/ff/dense.weight) -> h/ff/dense/matmul  [matmul@tiled|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 11: matmul(h/ff/dense/gelu_grad, h/ff/layernorm/layernorm) -> h/ff/dense/matmul#2  [matmul@tiled|f32[batch,seq,256];f32[batch,seq,64]->f32[256,64]|transA=true,transB=false]
// backward 12: layernorm_grad(h/ff/dense/matmul, h/h/add, h/ff/layernorm.gamma, h/ff/layernorm/layernorm:1, h/ff/layernorm/layernorm:2) -> h/ff/layernorm/layernorm_grad, h/ff/layernorm/layernorm_grad:1, h/ff/layernorm/layernorm_grad:2  [layernorm_grad|f32[batch,seq,64];f32[batch,seq,64];f32[64];f32[batch,seq];f32[batch,seq]->f32[batch,seq,64];f32[64];f32[64]|]
// backward 13: add(logits/layernorm/layernorm_grad, h/ff/layernorm/layernorm_grad) -> h/h/add#2  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 14: sum_to(h/h/add#2) -> h/attended/sum_to  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 15: matmul(h/h/add#2, h/attended.wo) -> h/attended/matmul  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 16: matmul(h/h/add#2, h/attended/attention) -> h/attended/matmul#2  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 17: attention_grad(h/attended/matmul, h/attended/matmul+bias, h/attended/matmul+bias#2, h/attended/matmul+bias#3, h/attended/attention:1) -> h/attended/attention_grad, h/attended/attention_grad:1, h/attended/attention_grad:2  [attention_grad|f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64];f32[batch,4,seq,seq]->f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64]|causal=true,heads=4]
// backward 18: sum_to(h/attended/attention_grad:2) -> h/attended/sum_to#2  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 19: matmul(h/attended/attention_grad:2, h/attended.wv) -> h/attended/matmul#3  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 20: matmul(h/attended/attention_grad:2, h/attended/layernorm/layernorm) -> h/attended/matmul#4  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 21: sum_to(h/attended/attention_grad:1) -> h/attended/sum_to#3  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 22: matmul(h/attended/attention_grad:1, h/attended.wk) -> h/attended/matmul#5  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 23: matmul(h/attended/attention_grad:1, h/attended/layernorm/layernorm) -> h/attended/matmul#6  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 24: sum_to(h/attended/attention_grad) -> h/attended/sum_to#4  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 25: matmul(h/attended/attention_grad, h/attended.wq) -> h/attended/matmul#7  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 26: matmul(h/attended/attention_grad, h/attended/layernorm/layernorm) -> h/attended/matmul#8  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 27: add(h/attended/matmul#3, h/attended/matmul#5) -> h/attended/layernorm/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 28: add(h/attended/layernorm/add, h/attended/matmul#7) -> h/attended/layernorm/add#2  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 29: layernorm_grad(h/attended/layernorm/add#2, h/decoder/add, h/attended/layernorm.gamma, h/attended/layernorm/layernorm:1, h/attended/layernorm/layernorm:2) -> h/attended/layernorm/layernorm_grad, h/attended/layernorm/layernorm_grad:1, h/attended/layernorm/layernorm_grad:2  [layernorm_grad|f32[batch,seq,64];f32[batch,seq,64];f32[64];f32[batch,seq];f32[batch,seq]->f32[batch,seq,64];f32[64];f32[64]|]
// backward 30: add(h/h/add#2, h/attended/layernorm/layernorm_grad) -> h/decoder/add#2  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 31: sum_to(h/decoder/add#2) -> h/decoder/ff/sum_to  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 32: matmul(h/decoder/add#2, h/decoder/ff.weight) -> h/decoder/ff/matmul  [matmul@tiled|f32[batch,seq,64];f32[64,256]->f32[batch,seq,256]|transA=false,transB=false]
// backward 33: matmul(h/decoder/add#2, h/decoder/ff/dense/matmul+bias+gelu) -> h/decoder/ff/matmul#2  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,256]->f32[64,256]|transA=true,transB=false]
// backward 34: gelu_grad(h/decoder/ff/matmul, h/decoder/ff/dense/matmul+bias+gelu:1) -> h/decoder/ff/dense/gelu_grad  [gelu_grad|f32[batch,seq,256];f32[batch,seq,256]->f32[batch,seq,256]|]
// backward 35: sum_to(h/decoder/ff/dense/gelu_grad) -> h/decoder/ff/dense/sum_to  [sum_to|f32[batch,seq,256]->f32[256]|shape=[256]]
// backward 36: matmul(h/decoder/ff/dense/gelu_grad, h/decoder/ff/dense.weight) -> h/decoder/ff/dense/matmul  [matmul@tiled|f32[batch,seq,256];f32[256,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 37: matmul(h/decoder/ff/dense/gelu_grad, h/decoder/ff/layernorm/layernorm) -> h/decoder/ff/dense/matmul#2  [matmul@tiled|f32[batch,seq,256];f32[batch,seq,64]->f32[256,64]|transA=true,transB=false]
// backward 38: layernorm_grad(h/decoder/ff/dense/matmul, h/decoder/h/add, h/decoder/ff/layernorm.gamma, h/decoder/ff/layernorm/layernorm:1, h/decoder/ff/layernorm/layernorm:2) -> h/decoder/ff/layernorm/layernorm_grad, h/decoder/ff/layernorm/layernorm_grad:1, h/decoder/ff/layernorm/layernorm_grad:2  [layernorm_grad|f32[batch,seq,64];f32[batch,seq,64];f32[64];f32[batch,seq];f32[batch,seq]->f32[batch,seq,64];f32[64];f32[64]|]
// backward 39: add(h/decoder/add#2, h/decoder/ff/layernorm/layernorm_grad) -> h/decoder/h/add#2  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 40: sum_to(h/decoder/h/add#2) -> h/decoder/attended/sum_to  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 41: matmul(h/decoder/h/add#2, h/decoder/attended.wo) -> h/decoder/attended/matmul  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 42: matmul(h/decoder/h/add#2, h/decoder/attended/attention) -> h/decoder/attended/matmul#2  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 43: attention_grad(h/decoder/attended/matmul, h/decoder/attended/matmul+bias, h/decoder/attended/matmul+bias#2, h/decoder/attended/matmul+bias#3, h/decoder/attended/attention:1) -> h/decoder/attended/attention_grad, h/decoder/attended/attention_grad:1, h/decoder/attended/attention_grad:2  [attention_grad|f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64];f32[batch,4,seq,seq]->f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64]|causal=true,heads=4]
// backward 44: sum_to(h/decoder/attended/attention_grad:2) -> h/decoder/attended/sum_to#2  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 45: matmul(h/decoder/attended/attention_grad:2, h/decoder/attended.wv) -> h/decoder/attended/matmul#3  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 46: matmul(h/decoder/attended/attention_grad:2, h/decoder/attended/layernorm/layernorm) -> h/decoder/attended/matmul#4  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 47: sum_to(h/decoder/attended/attention_grad:1) -> h/decoder/attended/sum_to#3  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 48: matmul(h/decoder/attended/attention_grad:1, h/decoder/attended.wk) -> h/decoder/attended/matmul#5  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 49: matmul(h/decoder/attended/attention_grad:1, h/decoder/attended/layernorm/layernorm) -> h/decoder/attended/matmul#6  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 50: sum_to(h/decoder/attended/attention_grad) -> h/decoder/attended/sum_to#4  [sum_to|f32[batch,seq,64]->f32[64]|shape=[64]]
// backward 51: matmul(h/decoder/attended/attention_grad, h/decoder/attended.wq) -> h/decoder/attended/matmul#7  [matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false]
// backward 52: matmul(h/decoder/attended/attention_grad, h/decoder/attended/layernorm/layernorm) -> h/decoder/attended/matmul#8  [matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false]
// backward 53: add(h/decoder/attended/matmul#3, h/decoder/attended/matmul#5) -> h/decoder/attended/layernorm/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 54: add(h/decoder/attended/layernorm/add, h/decoder/attended/matmul#7) -> h/decoder/attended/layernorm/add#2  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 55: layernorm_grad(h/decoder/attended/layernorm/add#2, h/positional_encoding/positional_encoding, h/decoder/attended/layernorm.gamma, h/decoder/attended/layernorm/layernorm:1, h/decoder/attended/layernorm/layernorm:2) -> h/decoder/attended/layernorm/layernorm_grad, h/decoder/attended/layernorm/layernorm_grad:1, h/decoder/attended/layernorm/layernorm_grad:2  [layernorm_grad|f32[batch,seq,64];f32[batch,seq,64];f32[64];f32[batch,seq];f32[batch,seq]->f32[batch,seq,64];f32[64];f32[64]|]
// backward 56: add(h/decoder/h/add#2, h/decoder/attended/layernorm/layernorm_grad) -> h/positional_encoding/add  [add|f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64]|]
// backward 57: embedding_grad(h/positional_encoding/add, tokens) -> h/embedding/embedding_grad  [embedding_grad|f32[batch,seq,64];i32[batch,seq]->f32[256,64]|shape=[256,64]]
// update 0: adamw_update(h/embedding.table, h/embedding/embedding_grad, h/embedding.table.m, h/embedding.table.v) -> h/embedding.table, h/embedding.table.m, h/embedding.table.v  [adamw_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 1: adamw_update(h/decoder/attended/layernorm.gamma, h/decoder/attended/layernorm/layernorm_grad:1, h/decoder/attended/layernorm.gamma.m, h/decoder/attended/layernorm.gamma.v) -> h/decoder/attended/layernorm.gamma, h/decoder/attended/layernorm.gamma.m, h/decoder/attended/layernorm.gamma.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 2: adamw_update(h/decoder/attended/layernorm.beta, h/decoder/attended/layernorm/layernorm_grad:2, h/decoder/attended/layernorm.beta.m, h/decoder/attended/layernorm.beta.v) -> h/decoder/attended/layernorm.beta, h/decoder/attended/layernorm.beta.m, h/decoder/attended/layernorm.beta.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 3: adamw_update(h/decoder/attended.wq, h/decoder/attended/matmul#8, h/decoder/attended.wq.m, h/decoder/attended.wq.v) -> h/decoder/attended.wq, h/decoder/attended.wq.m, h/decoder/attended.wq.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 4: adamw_update(h/decoder/attended.bq, h/decoder/attended/sum_to#4, h/decoder/attended.bq.m, h/decoder/attended.bq.v) -> h/decoder/attended.bq, h/decoder/attended.bq.m, h/decoder/attended.bq.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 5: adamw_update(h/decoder/attended.wk, h/decoder/attended/matmul#6, h/decoder/attended.wk.m, h/decoder/attended.wk.v) -> h/decoder/attended.wk, h/decoder/attended.wk.m, h/decoder/attended.wk.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 6: adamw_update(h/decoder/attended.bk, h/decoder/attended/sum_to#3, h/decoder/attended.bk.m, h/decoder/attended.bk.v) -> h/decoder/attended.bk, h/decoder/attended.bk.m, h/decoder/attended.bk.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 7: adamw_update(h/decoder/attended.wv, h/decoder/attended/matmul#4, h/decoder/attended.wv.m, h/decoder/attended.wv.v) -> h/decoder/attended.wv, h/decoder/attended.wv.m, h/decoder/attended.wv.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 8: adamw_update(h/decoder/attended.bv, h/decoder/attended/sum_to#2, h/decoder/attended.bv.m, h/decoder/attended.bv.v) -> h/decoder/attended.bv, h/decoder/attended.bv.m, h/decoder/attended.bv.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 9: adamw_update(h/decoder/attended.wo, h/decoder/attended/matmul#2, h/decoder/attended.wo.m, h/decoder/attended.wo.v) -> h/decoder/attended.wo, h/decoder/attended.wo.m, h/decoder/attended.wo.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 10: adamw_update(h/decoder/attended.bo, h/decoder/attended/sum_to, h/decoder/attended.bo.m, h/decoder/attended.bo.v) -> h/decoder/attended.bo, h/decoder/attended.bo.m, h/decoder/attended.bo.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 11: adamw_update(h/decoder/ff/layernorm.gamma, h/decoder/ff/layernorm/layernorm_grad:1, h/decoder/ff/layernorm.gamma.m, h/decoder/ff/layernorm.gamma.v) -> h/decoder/ff/layernorm.gamma, h/decoder/ff/layernorm.gamma.m, h/decoder/ff/layernorm.gamma.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 12: adamw_update(h/decoder/ff/layernorm.beta, h/decoder/ff/layernorm/layernorm_grad:2, h/decoder/ff/layernorm.beta.m, h/decoder/ff/layernorm.beta.v) -> h/decoder/ff/layernorm.beta, h/decoder/ff/layernorm.beta.m, h/decoder/ff/layernorm.beta.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 13: adamw_update(h/decoder/ff/dense.weight, h/decoder/ff/dense/matmul#2, h/decoder/ff/dense.weight.m, h/decoder/ff/dense.weight.v) -> h/decoder/ff/dense.weight, h/decoder/ff/dense.weight.m, h/decoder/ff/dense.weight.v  [adamw_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 14: adamw_update(h/decoder/ff/dense.bias, h/decoder/ff/dense/sum_to, h/decoder/ff/dense.bias.m, h/decoder/ff/dense.bias.v) -> h/decoder/ff/dense.bias, h/decoder/ff/dense.bias.m, h/decoder/ff/dense.bias.v  [adamw_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 15: adamw_update(h/decoder/ff.weight, h/decoder/ff/matmul#2, h/decoder/ff.weight.m, h/decoder/ff.weight.v) -> h/decoder/ff.weight, h/decoder/ff.weight.m, h/decoder/ff.weight.v  [adamw_update|f32[64,256];f32[64,256];f32[64,256];f32[64,256]->f32[64,256];f32[64,256];f32[64,256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 16: adamw_update(h/decoder/ff.bias, h/decoder/ff/sum_to, h/decoder/ff.bias.m, h/decoder/ff.bias.v) -> h/decoder/ff.bias, h/decoder/ff.bias.m, h/decoder/ff.bias.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 17: adamw_update(h/attended/layernorm.gamma, h/attended/layernorm/layernorm_grad:1, h/attended/layernorm.gamma.m, h/attended/layernorm.gamma.v) -> h/attended/layernorm.gamma, h/attended/layernorm.gamma.m, h/attended/layernorm.gamma.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 18: adamw_update(h/attended/layernorm.beta, h/attended/layernorm/layernorm_grad:2, h/attended/layernorm.beta.m, h/attended/layernorm.beta.v) -> h/attended/layernorm.beta, h/attended/layernorm.beta.m, h/attended/layernorm.beta.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 19: adamw_update(h/attended.wq, h/attended/matmul#8, h/attended.wq.m, h/attended.wq.v) -> h/attended.wq, h/attended.wq.m, h/attended.wq.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 20: adamw_update(h/attended.bq, h/attended/sum_to#4, h/attended.bq.m, h/attended.bq.v) -> h/attended.bq, h/attended.bq.m, h/attended.bq.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 21: adamw_update(h/attended.wk, h/attended/matmul#6, h/attended.wk.m, h/attended.wk.v) -> h/attended.wk, h/attended.wk.m, h/attended.wk.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 22: adamw_update(h/attended.bk, h/attended/sum_to#3, h/attended.bk.m, h/attended.bk.v) -> h/attended.bk, h/attended.bk.m, h/attended.bk.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 23: adamw_update(h/attended.wv, h/attended/matmul#4, h/attended.wv.m, h/attended.wv.v) -> h/attended.wv, h/attended.wv.m, h/attended.wv.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 24: adamw_update(h/attended.bv, h/attended/sum_to#2, h/attended.bv.m, h/attended.bv.v) -> h/attended.bv, h/attended.bv.m, h/attended.bv.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 25: adamw_update(h/attended.wo, h/attended/matmul#2, h/attended.wo.m, h/attended.wo.v) -> h/attended.wo, h/attended.wo.m, h/attended.wo.v  [adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 26: adamw_update(h/attended.bo, h/attended/sum_to, h/attended.bo.m, h/attended.bo.v) -> h/attended.bo, h/attended.bo.m, h/attended.bo.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 27: adamw_update(h/ff/layernorm.gamma, h/ff/layernorm/layernorm_grad:1, h/ff/layernorm.gamma.m, h/ff/layernorm.gamma.v) -> h/ff/layernorm.gamma, h/ff/layernorm.gamma.m, h/ff/layernorm.gamma.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 28: adamw_update(h/ff/layernorm.beta, h/ff/layernorm/layernorm_grad:2, h/ff/layernorm.beta.m, h/ff/layernorm.beta.v) -> h/ff/layernorm.beta, h/ff/layernorm.beta.m, h/ff/layernorm.beta.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 29: adamw_update(h/ff/dense.weight, h/ff/dense/matmul#2, h/ff/dense.weight.m, h/ff/dense.weight.v) -> h/ff/dense.weight, h/ff/dense.weight.m, h/ff/dense.weight.v  [adamw_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 30: adamw_update(h/ff/dense.bias, h/ff/dense/sum_to, h/ff/dense.bias.m, h/ff/dense.bias.v) -> h/ff/dense.bias, h/ff/dense.bias.m, h/ff/dense.bias.v  [adamw_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 31: adamw_update(h/ff.weight, h/ff/matmul#2, h/ff.weight.m, h/ff.weight.v) -> h/ff.weight, h/ff.weight.m, h/ff.weight.v  [adamw_update|f32[64,256];f32[64,256];f32[64,256];f32[64,256]->f32[64,256];f32[64,256];f32[64,256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 32: adamw_update(h/ff.bias, h/ff/sum_to, h/ff.bias.m, h/ff.bias.v) -> h/ff.bias, h/ff.bias.m, h/ff.bias.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 33: adamw_update(logits/layernorm.gamma, logits/layernorm/layernorm_grad:1, logits/layernorm.gamma.m, logits/layernorm.gamma.v) -> logits/layernorm.gamma, logits/layernorm.gamma.m, logits/layernorm.gamma.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 34: adamw_update(logits/layernorm.beta, logits/layernorm/layernorm_grad:2, logits/layernorm.beta.m, logits/layernorm.beta.v) -> logits/layernorm.beta, logits/layernorm.beta.m, logits/layernorm.beta.v  [adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 35: adamw_update(logits.weight, logits/matmul#2, logits.weight.m, logits.weight.v) -> logits.weight, logits.weight.m, logits.weight.v  [adamw_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]
// update 36: adamw_update(logits.bias, logits/sum_to, logits.bias.m, logits.bias.v) -> logits.bias, logits.bias.m, logits.bias.v  [adamw_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004]

// ── program embedding|i32[batch,seq];f32[256,64]->f32[batch,seq,64]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*64)/256), 1, 1]
// params count=batch*seq*64, dim=64, vocab=256
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

// ── program positional_encoding|f32[batch,seq,64]->f32[batch,seq,64]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*64)/256), 1, 1]
// params count=batch*seq*64, T=seq, D=64
struct Params { count: u32, T: u32, D: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> P: Params;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let e = i % P.D;
    let pos = (i / P.D) % P.T;
    let angle = f32(pos) / pow(10000.0, f32(2u * (e / 2u)) / f32(P.D));
    y[i] = x[i] + select(cos(angle), sin(angle), e % 2u == 0u);
  }
}

// ── program layernorm|f32[batch,seq,64];f32[64];f32[64]->f32[batch,seq,64];f32[batch,seq];f32[batch,seq]|epsilon=0.001
// workgroup 256×1×1, dispatch [ceil((batch*seq)/256), 1, 1]
// params count=batch*seq, width=64
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

// ── program matmul+bias@tiled|f32[batch,seq,64];f32[64,64];f32[64]->f32[batch,seq,64]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=64, K=64, lda=64, ldb=64
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

// ── program attention|f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64]->f32[batch,seq,64];f32[batch,4,seq,seq]|causal=true,heads=4
// workgroup 256×1×1, dispatch [ceil((batch*seq*4)/256), 1, 1]
// params count=batch*seq*4, T=seq
struct Params { count: u32, T: u32 }
@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> probs: array<f32>;
@group(0) @binding(5) var<uniform> P: Params;

const D = 64u;
const HEADS = 4u;
const DH = 16u;
const SCALE = 0.25;
const CAUSAL = true;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let T = P.T;
    let qi = i % T;
    let h = (i / T) % HEADS;
    let b = i / (T * HEADS);
    let p = i * T;
    let row = (b * T + qi) * D + h * DH;
    var mx = -3.402823e38;
    for (var j = 0u; j < T; j++) {
      if (CAUSAL && j > qi) { continue; }
      var s = 0.0;
      for (var e = 0u; e < DH; e++) { s = fma(q[row + e], k[(b * T + j) * D + h * DH + e], s); }
      probs[p + j] = s * SCALE;
      mx = max(mx, s * SCALE);
    }
    var total = 0.0;
    for (var j = 0u; j < T; j++) {
      var w = 0.0;
      if (!(CAUSAL && j > qi)) { w = exp(probs[p + j] - mx); }
      probs[p + j] = w;
      total += w;
    }
    for (var e = 0u; e < DH; e++) { y[row + e] = 0.0; }
    for (var j = 0u; j < T; j++) {
      let w = probs[p + j] / total;
      probs[p + j] = w;
      for (var e = 0u; e < DH; e++) { y[row + e] = fma(w, v[(b * T + j) * D + h * DH + e], y[row + e]); }
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

// ── program matmul+bias+gelu@tiled|f32[batch,seq,64];f32[256,64];f32[256]->f32[batch,seq,256];f32[batch,seq,256]|transA=false,transB=true
// workgroup 16×16×1, dispatch [4, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=256, K=64, lda=64, ldb=64
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

// ── program matmul+bias@tiled|f32[batch,seq,256];f32[64,256];f32[64]->f32[batch,seq,64]|transA=false,transB=true
// workgroup 16×16×1, dispatch [1, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=64, K=256, lda=256, ldb=256
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

// ── program softmax|f32[batch,seq,256]->f32[batch,seq,256]|
// workgroup 256×1×1, dispatch [ceil((batch*seq)/256), 1, 1]
// params count=batch*seq, width=256
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

// ── program sparse_softmax_cross_entropy_loss|f32[batch,seq,256];i32[batch,seq]->f32[];f32[batch,seq,256]|
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=batch*seq, width=256
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

// ── program layernorm_grad|f32[batch,seq,64];f32[batch,seq,64];f32[64];f32[batch,seq];f32[batch,seq]->f32[batch,seq,64];f32[64];f32[64]|
// workgroup 256×1×1, dispatch [ceil(((batch*seq)+64)/256), 1, 1]
// params count=(batch*seq)+64, rows=batch*seq, width=64
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

// ── program sum_to|f32[batch,seq,64]->f32[64]|shape=[64]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64, rows=batch*seq
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

// ── program matmul@tiled|f32[batch,seq,64];f32[64,256]->f32[batch,seq,256]|transA=false,transB=false
// workgroup 16×16×1, dispatch [4, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=256, K=64, lda=64, ldb=256
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

// ── program matmul@tiled|f32[batch,seq,64];f32[batch,seq,256]->f32[64,256]|transA=true,transB=false
// workgroup 16×16×1, dispatch [4, 1, 1]
// params M=64, N=256, K=batch*seq, lda=64, ldb=256
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

// ── program gelu_grad|f32[batch,seq,256];f32[batch,seq,256]->f32[batch,seq,256]|
// workgroup 256×1×1, dispatch [ceil((batch*seq*256)/256), 1, 1]
// params count=batch*seq*256
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

// ── program matmul@tiled|f32[batch,seq,64];f32[64,64]->f32[batch,seq,64]|transA=false,transB=false
// workgroup 16×16×1, dispatch [1, ceil((batch*seq)/64), 1]
// params M=batch*seq, N=64, K=64, lda=64, ldb=64
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

// ── program matmul@tiled|f32[batch,seq,64];f32[batch,seq,64]->f32[64,64]|transA=true,transB=false
// workgroup 16×16×1, dispatch [1, 1, 1]
// params M=64, N=64, K=batch*seq, lda=64, ldb=64
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

// ── program attention_grad|f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64];f32[batch,4,seq,seq]->f32[batch,seq,64];f32[batch,seq,64];f32[batch,seq,64]|causal=true,heads=4
// workgroup 256×1×1, dispatch [ceil(((batch*seq*64)*3)/256), 1, 1]
// params count=(batch*seq*64)*3, per=batch*seq*64, T=seq
struct Params { count: u32, per: u32, T: u32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
@group(0) @binding(4) var<storage, read> probs: array<f32>;
@group(0) @binding(5) var<storage, read_write> dq: array<f32>;
@group(0) @binding(6) var<storage, read_write> dk: array<f32>;
@group(0) @binding(7) var<storage, read_write> dv: array<f32>;
@group(0) @binding(8) var<uniform> P: Params;

const D = 64u;
const HEADS = 4u;
const DH = 16u;
const SCALE = 0.25;
const CAUSAL = true;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * 256u) {
    let T = P.T;
    let which = i / P.per;
    let el = i % P.per;
    let e = el % DH;
    let h = (el % D) / DH;
    let pos = (el / D) % T;
    let b = el / (D * T);
    let base = b * T * D + h * DH;
    if (which == 2u) {
      // dv[b, pos, :] = Σ_qi probs[qi, pos] · dy[qi, :]
      var acc = 0.0;
      for (var qi = 0u; qi < T; qi++) { acc = fma(probs[((b * HEADS + h) * T + qi) * T + pos], dy[base + qi * D + e], acc); }
      dv[el] = acc;
    } else {
      // ds[qi, j] = probs[qi, j] · (dy_qi·v_j − Σ_l probs[qi, l] · dy_qi·v_l) · SCALE
      var acc = 0.0;
      for (var qi = 0u; qi < T; qi++) {
        if (which == 0u && qi != pos) { continue; }
        let p = ((b * HEADS + h) * T + qi) * T;
        var dot = 0.0;
        for (var l = 0u; l < T; l++) {
          var s = 0.0;
          for (var f = 0u; f < DH; f++) { s = fma(dy[base + qi * D + f], v[base + l * D + f], s); }
          dot = fma(s, probs[p + l], dot);
        }
        for (var j = 0u; j < T; j++) {
          if (which == 1u && j != pos) { continue; }
          var s = 0.0;
          for (var f = 0u; f < DH; f++) { s = fma(dy[base + qi * D + f], v[base + j * D + f], s); }
          let ds = probs[p + j] * (s - dot) * SCALE;
          if (which == 0u) { acc = fma(ds, k[base + j * D + e], acc); } else { acc = fma(ds, q[base + qi * D + e], acc); }
        }
      }
      if (which == 0u) { dq[el] = acc; } else { dk[el] = acc; }
    }
  }
}

// ── program embedding_grad|f32[batch,seq,64];i32[batch,seq]->f32[256,64]|shape=[256,64]
// workgroup 256×1×1, dispatch [1, 1, 1]
// params count=64, vocab=256, rows=batch*seq
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

// ── program adamw_update|f32[256,64];f32[256,64];f32[256,64];f32[256,64]->f32[256,64];f32[256,64];f32[256,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004
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
    let vt = 0.999 * v[i] + (1.0 - 0.999) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.999, t));
    var p = param[i];
    p -= R.lr * 0.004 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[64];f32[64];f32[64];f32[64]->f32[64];f32[64];f32[64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004
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
    p -= R.lr * 0.004 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[64,64];f32[64,64];f32[64,64];f32[64,64]->f32[64,64];f32[64,64];f32[64,64]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004
// workgroup 256×1×1, dispatch [16, 1, 1]
// params count=4096
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
    p -= R.lr * 0.004 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[256];f32[256];f32[256];f32[256]->f32[256];f32[256];f32[256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004
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
    p -= R.lr * 0.004 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}

// ── program adamw_update|f32[64,256];f32[64,256];f32[64,256];f32[64,256]->f32[64,256];f32[64,256];f32[64,256]|beta1=0.9,beta2=0.999,epsilon=1e-7,weightDecay=0.004
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
    let vt = 0.999 * v[i] + (1.0 - 0.999) * g * g;
    m[i] = mt;
    v[i] = vt;
    let t = f32(R.step);
    let mhat = mt / (1.0 - pow(0.9, t));
    let vhat = vt / (1.0 - pow(0.999, t));
    var p = param[i];
    p -= R.lr * 0.004 * p;
    p -= R.lr * mhat / (sqrt(vhat) + 1e-7);
    param[i] = p;
  }
}
