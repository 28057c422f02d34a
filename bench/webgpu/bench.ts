import { acquireDevice } from '../../runtime/webgpu/index.js';
import { benchDense } from './dense.js';
import { benchMlp } from './mlp.js';

/**
 * The WebGPU benchmark (run through bench/webgpu/run.mjs). Prints the adapter, then fused dense
 * GFLOP/s and MLP training samples/s, fused vs --no-fuse. On a software adapter (lavapipe,
 * SwiftShader) it runs small smoke sizes unless --full is given; on a GPU the sizes.
 */
const args = process.argv.slice(2);
const full = args.includes('--full');
const { device, description, isFallbackAdapter, adapter } = await acquireDevice();
const smoke = isFallbackAdapter && !full;
console.log(`adapter: ${description}${isFallbackAdapter ? ' (software fallback adapter)' : ''}`);
console.log(`limits: maxComputeWorkgroupStorageSize ${adapter.limits.maxComputeWorkgroupStorageSize}, maxStorageBufferBindingSize ${adapter.limits.maxStorageBufferBindingSize}`);
if (smoke) console.log('software adapter: smoke sizes only (pass --full for the issue sizes)');

const sizes = smoke ? [256, 512] : [1024, 2048, 4096];
console.log('\nfused dense y = relu(x·Wᵀ + b), M = N = K');
console.log('size   fused GFLOP/s   unfused GFLOP/s   fused/unfused');
for (const size of sizes) {
  const reps = smoke ? 2 : size >= 4096 ? 10 : 30;
  const fused = await benchDense(device, size, true, reps);
  const unfused = await benchDense(device, size, false, reps);
  console.log(`${String(size).padEnd(6)} ${fused.gflops.toFixed(1).padStart(14)} ${unfused.gflops.toFixed(1).padStart(17)} ${(fused.gflops / unfused.gflops).toFixed(2).padStart(15)}`);
}

const batches = smoke ? [128] : [128, 1024];
console.log('\nMLP 784-512-256-10 training (Adam), samples/s');
console.log('batch  fused   --no-fuse   ratio');
for (const batch of batches) {
  const steps = smoke ? 3 : 50;
  const fused = await benchMlp(device, batch, true, steps);
  const unfused = await benchMlp(device, batch, false, steps);
  console.log(`${String(batch).padEnd(6)} ${fused.samplesPerSecond.toFixed(0).padStart(6)} ${unfused.samplesPerSecond.toFixed(0).padStart(11)} ${(fused.samplesPerSecond / unfused.samplesPerSecond).toFixed(2).padStart(7)}`);
}
device.destroy();
