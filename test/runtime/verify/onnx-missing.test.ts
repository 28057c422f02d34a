import { describe, expect, it, vi } from 'vitest';
import { onnxTracer } from '../../../runtime/verify/onnx-tracer.js';
import { compileProbe } from './verify-model.js';

/**
 * onnxruntime-web is a dev dependency: an installed nnet may lack it. `--against onnx` then says so
 * with NNR7201 and how to install it, instead of failing on the import.
 */
vi.mock('onnxruntime-web', () => {
  throw new Error("Cannot find package 'onnxruntime-web'");
});

describe('the ONNX target without onnxruntime-web', () => {
  it('is refused with NNR7201 naming the package to install', async () => {
    const { plan, weights } = compileProbe();
    const error = (await onnxTracer(plan, weights).catch((e: unknown) => e)) as { code?: string; message: string };
    expect(error.code).toBe('NNR7201');
    expect(error.message).toMatch(/onnxruntime-web, which is not installed here .*npm install onnxruntime-web/);
  });
});
