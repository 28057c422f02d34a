import { describe, expect, it } from 'vitest';
import { GRAD_RULES } from '../../compiler/autodiff/rules/index.js';
import { emitWebGpuProgram } from '../../compiler/emit/webgpu/index.js';
import { primitiveOutputs } from '../../compiler/ir/primitives.js';
import type { TensorType } from '../../compiler/ir/types.js';
import { LOWER_RULES } from '../../compiler/lower/lower.js';
import { OPS } from '../../compiler/ops/registry.js';
import { resolveCpuKernel } from '../../runtime/cpu/kernel-registry.js';
import { ExportError, toOnnxModel } from '../../runtime/export/onnx.js';
import { KERNEL_NAMES, kernelSpec, parseKernelName, type KernelName } from '../../runtime/plan/kernels.js';
import type { HostTensor } from '../../runtime/tensor.js';
import { OP_CASES, type OpCase } from '../runtime/webgpu/op-cases.js';
import { opPlan } from '../runtime/webgpu/op-plan.js';

/**
 * The walk over every op of the language and every kernel of the plan vocabulary: each must have a
 * shape rule, a lowering, a gradient (or be a gradient, a loss or an update), a CPU kernel, a WGSL
 * kernel, and an ONNX export or an explicit refusal (ExportError naming it). Each check runs the
 * piece on the kernel's op case (test/runtime/webgpu/op-cases.ts), so a stub that throws is a gap
 * too. Gaps are collected and listed together.
 */

/** What a kernel is for; every kernel must be one of these, or it is a gap. */
function roleOf(name: KernelName): 'differentiable' | 'gradient' | 'loss' | 'update' | null {
  const spec = kernelSpec(name)!;
  if (spec.grad) return 'differentiable';
  const namedByARule = KERNEL_NAMES.some((k) => kernelSpec(k)!.grad?.kernels.includes(name));
  if (namedByARule || name.endsWith('_grad')) return 'gradient';
  if (name.endsWith('_loss') || name === 'l1_l2_penalty') return 'loss';
  if (name.endsWith('_update')) return 'update';
  return null;
}

function caseOf(name: KernelName): OpCase | undefined {
  return OP_CASES.find((c) => parseKernelName(c.kernel).base === name && parseKernelName(c.kernel).epilogue.length === 0)
    ?? OP_CASES.find((c) => parseKernelName(c.kernel).base === name);
}

function attempt(what: string, run: () => void, gaps: string[]): void {
  try {
    run();
  } catch (error) {
    gaps.push(`${what}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function kernelGaps(name: KernelName): string[] {
  const gaps: string[] = [];
  const spec = kernelSpec(name)!;
  const role = roleOf(name);
  if (role === null) gaps.push('neither differentiable nor a gradient, loss or update kernel');
  if (role === 'differentiable') {
    if (!GRAD_RULES[name]) gaps.push('declares a gradient but has no gradient rule');
    for (const k of spec.grad!.kernels) if (!kernelSpec(k)) gaps.push(`its gradient kernel '${k}' is not in the table`);
    for (const saved of spec.grad!.saved) if (!spec.outputs.includes(saved)) gaps.push(`saves '${saved}', which is not an output`);
  } else if (GRAD_RULES[name]) {
    gaps.push('has a gradient rule but the table declares no gradient');
  }
  const opCase = caseOf(name);
  if (!opCase) return [...gaps, 'no op case to run its implementations on'];
  const { plan, weights, feeds } = opPlan(opCase);
  const step = [...plan.forward, ...plan.update][0]!;
  const tensors = new Map(plan.tensors.map((t) => [t.name, t]));

  attempt('shape rule', () => {
    const inputs: TensorType[] = step.inputs.map((n) => ({ shape: tensors.get(n)!.shape, dtype: tensors.get(n)!.dtype }));
    const shapes = primitiveOutputs(step.kernel, inputs, step.attrs).map((t) => t.shape);
    // The case states its output shapes (update kernels write their inputs in place).
    expect(shapes.slice(0, step.outputs.length)).toEqual(step.outputs.map((n) => tensors.get(n)!.shape));
  }, gaps);
  attempt('CPU kernel', () => resolveCpuKernel(step.kernel), gaps);
  attempt('WGSL kernel', () => emitWebGpuProgram(step, tensors), gaps);
  if (role === 'differentiable' && plan.forward.length > 0) {
    attempt('ONNX export', () => {
      const all = new Map<string, HostTensor>([...weights, ...Object.entries(feeds)]);
      try {
        expect(toOnnxModel(plan, all).nodes.length).toBeGreaterThan(0);
      } catch (error) {
        // A refusal is fine when it is explicit: the exporter's own error, naming the kernel.
        if (!(error instanceof ExportError && error.message.includes(`'${name}'`))) throw error;
      }
    }, gaps);
  }
  return gaps;
}

describe('op coverage', () => {
  it('every op of the language has a shape rule and a lowering', () => {
    const gaps = OPS.filter((op) => typeof op.infer !== 'function' || !LOWER_RULES[op.name]).map((op) => op.name);
    expect(gaps).toEqual([]);
  });

  it('every kernel has a shape rule, a gradient or a role, a CPU and a WGSL kernel, and an ONNX export or refusal', () => {
    const gaps = KERNEL_NAMES.flatMap((name) => kernelGaps(name).map((gap) => `${name}: ${gap}`));
    expect(gaps).toEqual([]);
  });
});
