import type { PlanDim } from '../../../../runtime/plan/format.js';
import { gridStrideDispatch } from '../dims.js';
import type { KernelSource } from '../program.js';

/**
 * The common shape of one-thread-per-item kernels: a 1-D grid-stride loop over `P.count` items, so the
 * dispatch stays within the 65,535-workgroup limit for any size. `loop` is the loop body over index `i`.
 */
const GRID_WORKGROUP = 256;

export function gridKernel(
  count: PlanDim,
  buffers: KernelSource['buffers'],
  loop: string,
  extra: { params?: KernelSource['params']; helpers?: string; runtime?: boolean; variant?: string } = {},
): KernelSource {
  const body = `${extra.helpers ?? ''}

@compute @workgroup_size(${GRID_WORKGROUP}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < P.count; i += groups.x * ${GRID_WORKGROUP}u) {
    ${loop.trim().split('\n').join('\n    ')}
  }
}`;
  return {
    buffers,
    params: [{ name: 'count', type: 'u32', value: count }, ...(extra.params ?? [])],
    runtime: extra.runtime,
    body,
    workgroupSize: [GRID_WORKGROUP, 1, 1],
    dispatch: gridStrideDispatch(count, GRID_WORKGROUP),
    variant: extra.variant,
  };
}

export function input(index: number, name: string, dtype: 'f32' | 'i32' = 'f32'): KernelSource['buffers'][number] {
  return { from: 'input', index, access: 'read', name, dtype };
}

export function inout(index: number, name: string): KernelSource['buffers'][number] {
  return { from: 'input', index, access: 'read_write', name, dtype: 'f32' };
}

export function output(index: number, name: string, dtype: 'f32' | 'i32' = 'f32'): KernelSource['buffers'][number] {
  return { from: 'output', index, access: 'read_write', name, dtype };
}
