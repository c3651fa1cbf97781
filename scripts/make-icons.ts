/**
 * Draws the app icons (web/public/icons/icon-192.png, icon-512.png): a white shield on Bastion blue,
 * inside the maskable safe zone. Run with `node --import tsx scripts/make-icons.ts`; the PNGs are
 * committed, so this runs only when the design changes.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BLUE = [26, 86, 219];
const WHITE = [255, 255, 255];

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Inside the shield: a rounded top and sides that curve to a point, in unit coordinates (0..1). */
function inShield(x: number, y: number): boolean {
  const cx = 0.5;
  const top = 0.24;
  const bottom = 0.8;
  const halfWidth = 0.24;
  if (y < top || y > bottom) return false;
  const t = (y - top) / (bottom - top);
  const width = t < 0.45 ? halfWidth : halfWidth * Math.cos(((t - 0.45) / 0.55) * (Math.PI / 2));
  return Math.abs(x - cx) <= width;
}

function icon(size: number): Buffer {
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let px = 0; px < size; px++) {
      // 4×4 supersampling for smooth edges.
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inShield((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
      const a = hits / 16;
      for (let c = 0; c < 3; c++) row[1 + px * 3 + c] = Math.round(BLUE[c]! * (1 - a) + WHITE[c]! * a);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) writeFileSync(new URL(`../web/public/icons/icon-${size}.png`, import.meta.url), icon(size));
