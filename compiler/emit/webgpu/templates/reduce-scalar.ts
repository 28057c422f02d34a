import type { PlanDim } from '../../../../runtime/plan/format.js';
import type { KernelSource } from '../program.js';

/**
 * Kernels whose result is one scalar (losses, the l1/l2 penalty) run as ONE workgroup of 256 threads:
 * each thread strides over the items accumulating a partial sum (and writing any per-item gradient),
 * then a tree reduction in workgroup memory, and thread 0 stores the scalar. One workgroup keeps the
 * sum deterministic and needs no second pass; these kernels touch batch-sized data only.
 */
const REDUCE_WORKGROUP = 256;

export function scalarReduceKernel(
  count: PlanDim,
  buffers: KernelSource['buffers'],
  item: string,
  finish: string,
  extra: { params?: KernelSource['params']; helpers?: string; prologue?: string } = {},
): KernelSource {
  const body = `${extra.helpers ?? ''}

var<workgroup> partial: array<f32, ${REDUCE_WORKGROUP}>;

@compute @workgroup_size(${REDUCE_WORKGROUP}, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3u) {${extra.prologue ? `\n  ${extra.prologue.trim().split('\n').join('\n  ')}` : ''}
  var acc = 0.0;
  for (var i = lid.x; i < P.count; i += ${REDUCE_WORKGROUP}u) {
    ${item.trim().split('\n').join('\n    ')}
  }
  partial[lid.x] = acc;
  workgroupBarrier();
  for (var stride = ${REDUCE_WORKGROUP / 2}u; stride > 0u; stride = stride / 2u) {
    if (lid.x < stride) { partial[lid.x] += partial[lid.x + stride]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let total = partial[0];
    ${finish.trim()}
  }
}`;
  return {
    buffers,
    params: [{ name: 'count', type: 'u32', value: count }, ...(extra.params ?? [])],
    body,
    workgroupSize: [REDUCE_WORKGROUP, 1, 1],
    dispatch: [1, 1, 1],
  };
}
