import { KC } from '../kernels/gemm-pack.js';
import { Op, Type, u32, vector } from './wasm-bytes.js';

/**
 * A's packing for the GEMM driver (sgemm-driver.ts), inside the module so that it runs on every
 * thread too, as an export of the GEMM module: the generic loop, one float at a time, any strides,
 *
 *   pack_a_loop(src, aRowBytes, aColBytes, m, k, dst, mPanels, panelsPerTile, start, end)
 *
 * which `pack_a` (the same signature: sgemm-pack-vector.ts) calls for ragged panels and strides it
 * has no vector path for. A(i, kk) is the float at src + i·aRowBytes + kk·aColBytes. It writes row
 * panels [start·panelsPerTile, end·panelsPerTile) (clipped to mPanels) in the driver's layout: k
 * block k0 at dst + k0·mPanels·16 bytes, panel p of it at + p·kc·16, element (kk, r) at + (kk·4 + r)·4
 * (gemm-pack.ts packPanelsA's layout, block after block); rows at or past m are zeros. A copy, so
 * the same bits whichever thread writes a panel.
 */
const params = ['src', 'aRow', 'aCol', 'm', 'k', 'dst', 'mPanels', 'perTile', 'start', 'end'] as const;
const locals = ['p', 'pEnd', 'k0', 'kc', 'r', 'sp', 'dp', 'kk', 'base'] as const;
type Local = (typeof params)[number] | (typeof locals)[number];
const index = new Map<Local, number>([...params, ...locals].map((n, i) => [n, i]));
const get = (l: Local): number[] => Op.localGet(index.get(l)!);
const set = (l: Local): number[] => Op.localSet(index.get(l)!);

export const PACK_A_TYPE = [Type.func, ...vector(params.map(() => [Type.i32])), ...vector([])];

const minU = (a: number[], b: number[]): number[] => [...a, ...b, ...a, ...b, ...Op.i32LtU, ...Op.select];
const decrementWhileNonZero = (l: Local): number[] => [...get(l), ...Op.i32Const(1), ...Op.i32Sub, ...Op.localTee(index.get(l)!), ...Op.brIf(0)];

export function packABody(): number[] {
  return packPanelsBody(4);
}

/**
 * B's packing (sgemm-pack.ts packB8's layout), the same walk with panels of 8 columns:
 *
 *   pack_b(src, bColBytes, bRowBytes, n, k, dst, nPanels, panelsPerTile, start, end)
 *
 * B(kk, j) is the float at src + j·bColBytes + kk·bRowBytes: block k0 at dst + k0·nPanels·32 bytes,
 * panel q of it at + q·kc·32, element (kk, s) at + (kk·8 + s)·4; columns at or past n are zeros.
 * A weight read transposed (x·Wᵀ) is contiguous along k, so each column is read in order.
 */
export function packBBody(): number[] {
  return packPanelsBody(8);
}

/** Panels of `width` (4 or 8) rows of the source, k-major, block after block of KC. */
function packPanelsBody(width: 4 | 8): number[] {
  const log2Width = width === 4 ? 2 : 3;
  const code: number[] = [];
  code.push(...get('start'), ...get('perTile'), ...Op.i32Mul, ...set('p'));
  code.push(...minU([...get('end'), ...get('perTile'), ...Op.i32Mul], get('mPanels')), ...set('pEnd'));
  code.push(...Op.block, ...get('p'), ...get('pEnd'), ...Op.i32GeU, ...Op.brIf(0), ...Op.loop);
  code.push(...Op.i32Const(0), ...set('k0'), ...Op.loop);
  code.push(...minU(Op.i32Const(KC), [...get('k'), ...get('k0'), ...Op.i32Sub]), ...set('kc'));
  // base = dst + (k0·mPanels + p·kc)·width·4
  code.push(...get('dst'), ...get('k0'), ...get('mPanels'), ...Op.i32Mul, ...get('p'), ...get('kc'), ...Op.i32Mul, ...Op.i32Add, ...Op.i32Const(log2Width + 2), ...Op.i32Shl, ...Op.i32Add, ...set('base'));
  code.push(...Op.i32Const(0), ...set('r'), ...Op.loop);
  code.push(...get('base'), ...get('r'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add, ...set('dp'), ...get('kc'), ...set('kk'));
  // row i = width·p + r: inside the source, its kc values along k; past m, zeros.
  code.push(...get('p'), ...Op.i32Const(log2Width), ...Op.i32Shl, ...get('r'), ...Op.i32Add, ...get('m'), ...Op.i32LtU, ...Op.if);
  code.push(...get('src'), ...get('p'), ...Op.i32Const(log2Width), ...Op.i32Shl, ...get('r'), ...Op.i32Add, ...get('aRow'), ...Op.i32Mul, ...Op.i32Add, ...get('k0'), ...get('aCol'), ...Op.i32Mul, ...Op.i32Add, ...set('sp'));
  code.push(...Op.loop, ...get('dp'), ...get('sp'), ...Op.f32Load(0), ...Op.f32Store(0));
  code.push(...get('sp'), ...get('aCol'), ...Op.i32Add, ...set('sp'), ...get('dp'), ...Op.i32Const(width * 4), ...Op.i32Add, ...set('dp'), ...decrementWhileNonZero('kk'), ...Op.end);
  code.push(...Op.else);
  code.push(...Op.loop, ...get('dp'), ...Op.f32Const(0), ...Op.f32Store(0), ...get('dp'), ...Op.i32Const(width * 4), ...Op.i32Add, ...set('dp'), ...decrementWhileNonZero('kk'), ...Op.end);
  code.push(...Op.end);
  code.push(...get('r'), ...Op.i32Const(1), ...Op.i32Add, ...Op.localTee(index.get('r')!), ...Op.i32Const(width), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
  code.push(...get('k0'), ...get('kc'), ...Op.i32Add, ...Op.localTee(index.get('k0')!), ...get('k'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
  code.push(...get('p'), ...Op.i32Const(1), ...Op.i32Add, ...Op.localTee(index.get('p')!), ...get('pEnd'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end, ...Op.end);
  code.push(...Op.end);
  return [...vector([[...u32(locals.length), Type.i32]]), ...code];
}
