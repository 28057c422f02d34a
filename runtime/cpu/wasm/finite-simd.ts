import { parallelFor } from '../threads/threaded-module.js';
import { TILE_FLOATS } from './elementwise-module.js';
import { FINITE_FUNCTIONS, finiteModuleBytes } from './finite-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { addressIn, callLayout, intsOf } from './kernel-memory.js';

/**
 * Whether a tensor holds a NaN or an infinity: the training loop asks it of every weight after every
 * step (runtime/cpu/executor.ts `nonFiniteWeight`), which in JS was 4-9% of the recurrent and
 * embedding models' steps. A Float32Array that lies in the GEMM module's memory (an executor's
 * parameters, kernel-memory.ts) is scanned there by finite-module.ts, its tiles on the worker pool;
 * its last 1-3 values, and any other array, in JS (copying in would cost more than the scan).
 */
const finiteModule = overGemmMemory<Record<(typeof FINITE_FUNCTIONS)[number], (...args: number[]) => void>>(finiteModuleBytes, FINITE_FUNCTIONS);

/** Below this, the call costs about what the JS loop does. */
const MIN_VALUES = 256;

/** One value's work in the threshold's multiply-adds: a load, a subtraction and an OR, memory-bound. */
const VALUE_COST = 2;

/** The export's argument list (x, bytes, flags), refilled per call. */
const args = [0, 0, 0];

function nonFiniteJs(data: ArrayLike<number>, from: number): boolean {
  for (let i = from; i < data.length; i++) if (data[i]! - data[i]! !== 0) return true;
  return false;
}

export function hasNonFinite(data: ArrayLike<number>): boolean {
  const module = data instanceof Float32Array && data.length >= MIN_VALUES ? finiteModule() : null;
  const at = module ? addressIn(module.gemm.memory, data as Float32Array) : null;
  if (module === null || at === null) return nonFiniteJs(data, 0);
  const whole = data.length & ~3;
  const tiles = Math.ceil(whole / TILE_FLOATS);
  const flagsAt = callLayout(module.gemm.memory).scratch(tiles);
  args[0] = at;
  args[1] = whole * 4;
  args[2] = flagsAt;
  parallelFor(module.threaded, 'nonfinite', args, tiles, whole * VALUE_COST);
  const flags = intsOf(module.gemm.memory);
  for (let t = 0; t < tiles; t++) if (flags[flagsAt / 4 + t] !== 0) return true;
  return nonFiniteJs(data, whole);
}
