/**
 * c[m×n] = A·B for a few rows (m ≤ SMALL_M: batch-1 to batch-4 inference). Packing B would cost as
 * much as the product, and looping row by row would stream B m times; instead every row is computed
 * in the same pass, so B (the weight matrix) is read exactly once, in place.
 *
 * Two layouts, matching the two ways a dense layer reads its weight:
 * - B contiguous along k (x·Wᵀ, W [units, in]): dot products, several columns at once, each load of
 *   B shared by all rows.
 * - otherwise (dY·W, or any strides): for each k, one row of B updates every output row (axpy).
 * A(i,k) = a[i*aRow + k*aCol], B(k,j) = b[k*bRow + j*bCol]; c is overwritten.
 */
export const SMALL_M = 4;

export function gemmSmallM(a: Float32Array, aRow: number, aCol: number, b: Float32Array, bRow: number, bCol: number, c: Float32Array, m: number, n: number, k: number): void {
  if (m === 0) return;
  if (bRow === 1 && aCol === 1) {
    if (m === 1) dotOneRow(a, b, bCol, c, n, k);
    else dotRows(a, aRow, b, bCol, c, m, n, k);
    return;
  }
  axpyRows(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
}

/** One row: eight columns at a time, nine loads per eight multiply-adds (measured 15–30% faster than four). */
function dotOneRow(a: Float32Array, b: Float32Array, bCol: number, c: Float32Array, n: number, k: number): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const b0 = j * bCol, b1 = b0 + bCol, b2 = b1 + bCol, b3 = b2 + bCol;
    const b4 = b3 + bCol, b5 = b4 + bCol, b6 = b5 + bCol, b7 = b6 + bCol;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let kk = 0; kk < k; kk++) {
      const av = a[kk]!;
      s0 += av * b[b0 + kk]!;
      s1 += av * b[b1 + kk]!;
      s2 += av * b[b2 + kk]!;
      s3 += av * b[b3 + kk]!;
      s4 += av * b[b4 + kk]!;
      s5 += av * b[b5 + kk]!;
      s6 += av * b[b6 + kk]!;
      s7 += av * b[b7 + kk]!;
    }
    c[j] = s0;
    c[j + 1] = s1;
    c[j + 2] = s2;
    c[j + 3] = s3;
    c[j + 4] = s4;
    c[j + 5] = s5;
    c[j + 6] = s6;
    c[j + 7] = s7;
  }
  for (; j < n; j++) {
    const base = j * bCol;
    let s = 0;
    for (let kk = 0; kk < k; kk++) s += a[kk]! * b[base + kk]!;
    c[j] = s;
  }
}

/**
 * Two to four rows, two columns at a time: up to eight accumulators. Rows past m read row m-1 again
 * (their sums are dropped), which keeps one unrolled loop for every m without touching memory past A.
 */
function dotRows(a: Float32Array, aRow: number, b: Float32Array, bCol: number, c: Float32Array, m: number, n: number, k: number): void {
  const a0 = 0;
  const a1 = Math.min(1, m - 1) * aRow;
  const a2 = Math.min(2, m - 1) * aRow;
  const a3 = Math.min(3, m - 1) * aRow;
  for (let j = 0; j < n; j += 2) {
    const bj0 = j * bCol;
    // A lone last column reads its own row of B twice rather than past the end.
    const bj1 = j + 1 < n ? bj0 + bCol : bj0;
    let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
    for (let kk = 0; kk < k; kk++) {
      const x0 = b[bj0 + kk]!;
      const x1 = b[bj1 + kk]!;
      const r0 = a[a0 + kk]!, r1 = a[a1 + kk]!, r2 = a[a2 + kk]!, r3 = a[a3 + kk]!;
      s00 += r0 * x0; s01 += r0 * x1;
      s10 += r1 * x0; s11 += r1 * x1;
      s20 += r2 * x0; s21 += r2 * x1;
      s30 += r3 * x0; s31 += r3 * x1;
    }
    const sums = j + 1 < n;
    c[j] = s00;
    if (sums) c[j + 1] = s01;
    c[n + j] = s10;
    if (sums) c[n + j + 1] = s11;
    if (m > 2) {
      c[2 * n + j] = s20;
      if (sums) c[2 * n + j + 1] = s21;
    }
    if (m > 3) {
      c[3 * n + j] = s30;
      if (sums) c[3 * n + j + 1] = s31;
    }
  }
}

/** For each k, row k of B (scaled by A(i,k)) is added to every output row: B is read once. */
function axpyRows(a: Float32Array, aRow: number, aCol: number, b: Float32Array, bRow: number, bCol: number, c: Float32Array, m: number, n: number, k: number): void {
  c.fill(0, 0, m * n);
  for (let kk = 0; kk < k; kk++) {
    const base = kk * bRow;
    const x0 = a[kk * aCol]!;
    const x1 = m > 1 ? a[aRow + kk * aCol]! : 0;
    const x2 = m > 2 ? a[2 * aRow + kk * aCol]! : 0;
    const x3 = m > 3 ? a[3 * aRow + kk * aCol]! : 0;
    if (bCol === 1 && m === 1) {
      for (let j = 0; j < n; j++) c[j]! += x0 * b[base + j]!;
    } else if (bCol === 1 && m === 2) {
      for (let j = 0; j < n; j++) {
        const v = b[base + j]!;
        c[j]! += x0 * v;
        c[n + j]! += x1 * v;
      }
    } else if (bCol === 1 && m === 3) {
      for (let j = 0; j < n; j++) {
        const v = b[base + j]!;
        c[j]! += x0 * v;
        c[n + j]! += x1 * v;
        c[2 * n + j]! += x2 * v;
      }
    } else if (bCol === 1) {
      for (let j = 0; j < n; j++) {
        const v = b[base + j]!;
        c[j]! += x0 * v;
        c[n + j]! += x1 * v;
        c[2 * n + j]! += x2 * v;
        c[3 * n + j]! += x3 * v;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const xi = i === 0 ? x0 : i === 1 ? x1 : i === 2 ? x2 : x3;
        const out = i * n;
        for (let j = 0; j < n; j++) c[out + j]! += xi * b[base + j * bCol]!;
      }
    }
  }
}
