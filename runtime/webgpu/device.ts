import type {} from 'webgpu'; // brings the WebGPU types (@webgpu/types) into scope
import { NO_ADAPTER_HELP, WebGpuError } from './errors.js';

/**
 * Acquires a WebGPU device: in the browser from `navigator.gpu`, in Node from Dawn's bindings (the
 * `webgpu` package, loaded lazily so the browser bundle never references it).
 *
 * Dawn's `create()` returns a GPU object that must stay reachable for as long as any device made from it
 * lives: if V8 collects it, a later GC crashes the process (segfault, futex error or hang; see
 * docs/webgpu.md). So every GPU object created here is kept in `liveGpus`, a module-level set, forever.
 */

export interface DeviceOptions {
  /** Use Dawn's null backend: shaders compile and validate, buffer contents are garbage (Node only). */
  nullBackend?: boolean;
  /** Extra Dawn toggles for `create()`, e.g. `['adapter=llvmpipe']` (Node only). */
  dawnOptions?: string[];
  powerPreference?: GPUPowerPreference;
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  /** `vendor / architecture / device / description`, for logs and benchmarks. */
  description: string;
  isFallbackAdapter: boolean;
}

const liveGpus = new Set<GPU>();
const nodeGpus = new Map<string, GPU>();

async function nodeGpu(options: string[]): Promise<GPU> {
  const key = options.join('\n');
  const cached = nodeGpus.get(key);
  if (cached) return cached;
  // The Vulkan loader warns on stderr when XDG_RUNTIME_DIR is unset: give it a private folder.
  if (typeof process !== 'undefined' && !process.env.XDG_RUNTIME_DIR) {
    const dir = `/tmp/nnet-xdg-runtime-${process.getuid?.() ?? 'user'}`;
    const fs = await import('node:fs');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  let dawn: { create(options: string[]): GPU; globals: object };
  try {
    dawn = (await import('webgpu')) as unknown as typeof dawn;
  } catch (error) {
    throw new WebGpuError('NNR6001', `the \`webgpu\` package could not be loaded (${(error as Error).message}); ${NO_ADAPTER_HELP}`);
  }
  Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, GPUShaderStage, ...
  const gpu = dawn.create(options);
  liveGpus.add(gpu);
  nodeGpus.set(key, gpu);
  return gpu;
}

function browserGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((p) => p);
  return parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
}

/** Finds an adapter and opens a device with the adapter's full limits; throws NNR6001 when there is none. */
export async function acquireDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  const inBrowser = browserGpu();
  let gpu: GPU;
  if (inBrowser && !options.nullBackend && !options.dawnOptions) {
    gpu = inBrowser;
  } else if (typeof window !== 'undefined' && typeof document !== 'undefined') {
    throw new WebGpuError('NNR6001', 'this browser does not expose WebGPU (navigator.gpu); use a browser with WebGPU enabled, or run on the CPU with `--target cpu`.');
  } else {
    const dawnOptions = [...(options.dawnOptions ?? []), ...(options.nullBackend ? ['backend=null'] : [])];
    gpu = await nodeGpu(dawnOptions);
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch (error) {
    // Dawn rejects (rather than resolving null) when no backend loads, e.g. no Vulkan loader.
    throw new WebGpuError('NNR6001', `${NO_ADAPTER_HELP} (${(error as Error).message.split('\n')[0]})`);
  }
  if (!adapter) throw new WebGpuError('NNR6001', NO_ADAPTER_HELP);
  const limits: Record<string, number> = {};
  for (const name of [
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupStorageSize',
    'maxComputeInvocationsPerWorkgroup',
    'maxStorageBuffersPerShaderStage',
  ] as const) {
    limits[name] = adapter.limits[name];
  }
  const device = await adapter.requestDevice({ requiredLimits: limits });
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    device,
    adapter,
    description: describeAdapter(adapter),
    isFallbackAdapter: info?.isFallbackAdapter === true || (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true,
  };
}

/** True when an adapter can be found (tests use it to skip with a message). Never throws. */
export async function hasAdapter(options: DeviceOptions = {}): Promise<boolean> {
  try {
    const { device } = await acquireDevice(options);
    device.destroy();
    return true;
  } catch {
    return false;
  }
}
