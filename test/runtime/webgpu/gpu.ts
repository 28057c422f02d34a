import { acquireDevice, type AcquiredDevice } from '../../../runtime/webgpu/index.js';

/**
 * One device per test file, acquired once. Tests that need an adapter skip when there is none, with
 * a message saying how to get one (CI installs Mesa's lavapipe with scripts/install-vulkan.sh).
 */
let shared: Promise<AcquiredDevice | null> | null = null;

export function testDevice(): Promise<AcquiredDevice | null> {
  shared ??= acquireDevice().catch((error: Error) => {
    console.warn(`WebGPU tests skipped: ${error.message}`);
    return null;
  });
  return shared;
}

let nullDevice: Promise<AcquiredDevice | null> | null = null;

/** Dawn's null backend: real WGSL compilation and validation, no execution, no driver needed. */
export function validationDevice(): Promise<AcquiredDevice | null> {
  nullDevice ??= acquireDevice({ nullBackend: true }).catch((error: Error) => {
    console.warn(`WGSL validation tests skipped: ${error.message}`);
    return null;
  });
  return nullDevice;
}
