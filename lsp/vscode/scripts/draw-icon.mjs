// Draws images/icon.png (128×128): a small layered network on a rounded indigo square. No image
// library: shapes are sampled 4×4 per pixel and the PNG is written with node:zlib.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const layers = [
  { x: 30, ys: [36, 64, 92], colour: [103, 232, 249] },
  { x: 64, ys: [26, 52, 78, 104], colour: [240, 171, 252] },
  { x: 98, ys: [48, 80], colour: [253, 230, 138] },
];
const edges = layers.slice(1).flatMap((to, i) =>
  layers[i].ys.flatMap((y0) => to.ys.map((y1) => [layers[i].x, y0, to.x, y1])),
);

function insideRoundedSquare(x, y, margin = 4, radius = 26) {
  const cx = Math.min(Math.max(x, margin + radius), SIZE - margin - radius);
  const cy = Math.min(Math.max(y, margin + radius), SIZE - margin - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

function distanceToSegment(x, y, [x0, y0, x1, y1]) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - x0 - t * dx, y - y0 - t * dy);
}

/** The colour at one sample point, painted back to front; undefined outside the icon. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return undefined;
  const shade = y / SIZE;
  let rgb = [30 + 20 * shade, 27 + 20 * shade, 75 + 50 * shade];
  if (edges.some((e) => distanceToSegment(x, y, e) < 1.3)) rgb = rgb.map((c, i) => 0.45 * c + 0.55 * [165, 180, 252][i]);
  for (const layer of layers) {
    for (const cy of layer.ys) {
      const d = Math.hypot(x - layer.x, y - cy);
      if (d < 9.5) rgb = d < 7.5 ? layer.colour : [248, 250, 252];
    }
  }
  return rgb;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const rgb = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!rgb) continue;
        covered++;
        rgb.forEach((c, i) => (sum[i] += c));
      }
    }
    const pixel = covered ? [...sum.map((c) => Math.round(c / covered)), Math.round((255 * covered) / SAMPLES ** 2)] : [0, 0, 0, 0];
    row.set(pixel, 1 + px * 4);
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method variants, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`wrote images/icon.png (${png.length} bytes)`);
