/**
 * The sizes of `matmul` (runtime/plan/kernels.ts): y[M, N] = op(a)[M, K] · op(b)[K, N], where a's
 * leading axes flatten into rows and op transposes when the flag is set. One definition for the
 * shape rule (symbolic dims), the WGSL template (dim expressions) and anyone else who needs M, N, K;
 * `product` multiplies dims in the caller's currency.
 */
export interface MatmulSizes<D> {
  m: D;
  n: D;
  /** K as a reads it. */
  k: D;
  /** K as b reads it: equal to k in a well-formed step. */
  kB: D;
  /** Row strides of a and b as stored (their last axes). */
  lda: D;
  ldb: D;
}

export function matmulSizes<D>(a: readonly D[], b: readonly D[], transA: boolean, transB: boolean, product: (dims: D[]) => D): MatmulSizes<D> {
  const lastA = a[a.length - 1]!;
  const rowsA = product(a.slice(0, -1));
  const lastB = b[b.length - 1]!;
  const rowsB = product(b.slice(0, -1));
  return {
    m: transA ? lastA : rowsA,
    k: transA ? rowsA : lastA,
    kB: transB ? lastB : rowsB,
    n: transB ? rowsB : lastB,
    lda: lastA,
    ldb: lastB,
  };
}
