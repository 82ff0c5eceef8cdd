// Draws media/icon.png, the extension's 128×128 icon: a small dense network (2-3-2) on a rounded square, the output
// layer's error flowing back in amber. Plain Node (zlib), 4×4 supersampling: `node scripts/draw-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;
const BG = [24, 92, 168];
const EDGE = [200, 222, 245];
const NODE = [255, 255, 255];
const BACK = [255, 183, 77];

const layers = [[44, 84].map((y) => [30, y]), [32, 64, 96].map((y) => [64, y]), [44, 84].map((y) => [98, y])];
const forward = [];
for (let l = 0; l < 2; l++) for (const a of layers[l]) for (const b of layers[l + 1]) forward.push([a, b]);
// δ flows back from the outputs into the hidden layer.
const backward = layers[2].map((a) => [a, layers[1][1]]);

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y) {
  const r = 22;
  const cx = Math.min(Math.max(x, r + 4), SIZE - r - 4);
  const cy = Math.min(Math.max(y, r + 4), SIZE - r - 4);
  return Math.hypot(x - cx, y - cy) <= r;
}

/** The colour at a point, or undefined outside the icon (transparent). */
function colour(x, y) {
  if (!insideRoundedSquare(x, y)) return undefined;
  for (const nodes of layers) for (const [nx, ny] of nodes) if (Math.hypot(x - nx, y - ny) <= 9) return NODE;
  for (const e of backward) if (distToSegment(x, y, e[0], e[1]) <= 3) return BACK;
  for (const e of forward) if (distToSegment(x, y, e[0], e[1]) <= 1.6) return EDGE;
  return BG;
}

const rows = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const c = colour(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        if (c === undefined) continue;
        for (let i = 0; i < 3; i++) sum[i] += c[i];
        sum[3] += 1;
      }
    const n = SS * SS;
    for (let i = 0; i < 3; i++) row[1 + x * 4 + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0;
    row[1 + x * 4 + 3] = Math.round((sum[3] / n) * 255);
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
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
