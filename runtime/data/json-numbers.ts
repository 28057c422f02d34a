/**
 * The numbers of a JSON document `{ "<field>": [n, n, …] }` read from its bytes straight into a
 * Float32Array (a view: its buffer may hold up to half as many floats as there are bytes). The
 * `mnist` package's digits are 21 MB of such JSON, and JSON.parse spent ~0.55 s of every digits run
 * building 7.8 M-element arrays of doubles (plus ~0.15 s decoding the text) that were then copied
 * into floats. Same values as JSON.parse then Float32Array, bit for bit:
 *
 * A plain decimal `[-]digits[.digits]` with at most 15 significant digits is m / 10^k with m < 2^53
 * and k ≤ 22, both exact doubles, so the one IEEE division rounds the exact decimal value once, to the
 * correctly rounded double that Number() also returns; both then round to float32 the same way. Any
 * other number (an exponent, more digits) goes through Number() on its text. A document of another
 * shape (the field missing, something other than numbers in the array) goes to JSON.parse, which
 * reads it or throws its own error.
 */
export function readJsonNumbers(bytes: Uint8Array, field: string): Float32Array {
  const open = arrayStart(bytes, field);
  return (open === -1 ? null : parseValues(bytes, open)) ?? viaJsonParse(bytes, field);
}

const COLON = 0x3a;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Exact powers of ten as doubles (10^22 is the last one). */
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_FAST_DIGITS = 15;

/** The index just after the `[` of `"field": [`, or −1. */
function arrayStart(bytes: Uint8Array, field: string): number {
  const key = new TextEncoder().encode(`"${field}"`);
  let at = indexOf(bytes, key, 0);
  while (at !== -1) {
    let i = at + key.length;
    while (i < bytes.length && isSpace(bytes[i]!)) i++;
    if (bytes[i] === COLON) {
      i++;
      while (i < bytes.length && isSpace(bytes[i]!)) i++;
      return bytes[i] === OPEN ? i + 1 : -1;
    }
    at = indexOf(bytes, key, at + 1);
  }
  return -1;
}

function indexOf(bytes: Uint8Array, key: Uint8Array, from: number): number {
  const first = key[0]!;
  for (let i = bytes.indexOf(first, from); i !== -1; i = bytes.indexOf(first, i + 1)) {
    let k = 1;
    while (k < key.length && bytes[i + k] === key[k]) k++;
    if (k === key.length) return i;
  }
  return -1;
}

/**
 * The array's values, or null at anything that is not a number where one belongs: a view of a
 * buffer sized for the most values the bytes can hold (a digit and a comma each), so that nothing
 * is counted first, grown or copied. A lone `0` followed by a comma, most of an image's pixels, is
 * taken in one test: the buffer is zero already.
 */
function parseValues(bytes: Uint8Array, open: number): Float32Array | null {
  const out = new Float32Array((bytes.length - open + 1) >>> 1);
  let i = open;
  while (isSpace(bytes[i]!)) i++;
  if (bytes[i] === CLOSE) return out.subarray(0, 0);
  for (let n = 0; ; n++) {
    let b = bytes[i]!;
    if (b === ZERO && bytes[i + 1] === COMMA) {
      i += 2;
      while (isSpace(bytes[i]!)) i++;
      continue;
    }
    const start = i;
    const negative = b === MINUS;
    if (negative) b = bytes[++i]!;
    // JSON's grammar: a digit first, and no leading zero before another digit.
    if (b < ZERO || b > NINE || (b === ZERO && bytes[i + 1]! >= ZERO && bytes[i + 1]! <= NINE)) return null;
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    for (; b >= ZERO && b <= NINE; b = bytes[++i]!) {
      mantissa = mantissa * 10 + (b - ZERO);
      if (mantissa > 0) digits++;
    }
    if (b === DOT) {
      b = bytes[++i]!;
      if (b < ZERO || b > NINE) return null;
      for (; b >= ZERO && b <= NINE; b = bytes[++i]!) {
        mantissa = mantissa * 10 + (b - ZERO);
        if (mantissa > 0) digits++;
        scale++;
      }
    }
    let value: number;
    if (b === 0x65 || b === 0x45 || digits > MAX_FAST_DIGITS || scale >= POWERS.length) {
      // An exponent or a long mantissa: Number() reads the token's text (JSON's number syntax is a
      // subset of Number()'s, and the token's bytes are ASCII).
      while (i < bytes.length && bytes[i] !== COMMA && bytes[i] !== CLOSE && !isSpace(bytes[i]!)) i++;
      value = Number(String.fromCharCode(...bytes.subarray(start, i)));
      if (Number.isNaN(value)) return null;
    } else {
      value = mantissa / POWERS[scale]!;
      if (negative) value = -value;
    }
    out[n] = value;
    while (isSpace(bytes[i]!)) i++;
    if (bytes[i] === CLOSE) return out.subarray(0, n + 1);
    if (bytes[i] !== COMMA) return null;
    i++;
    while (isSpace(bytes[i]!)) i++;
  }
}

function viaJsonParse(bytes: Uint8Array, field: string): Float32Array {
  const document = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const values = document[field];
  if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) throw new Error(`'${field}' is not an array of numbers`);
  return Float32Array.from(values as number[]);
}
