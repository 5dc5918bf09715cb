#!/usr/bin/env node
// After `vite build`: writes .br and .gz next to every text asset of web/dist/assets, so the server
// sends pre-compressed files (no compression work per request).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = join(process.env.PLAZA_WEB_OUT ?? join(import.meta.dirname, '..', 'web', 'dist'), 'assets');
let raw = 0;
let br = 0;
for (const name of readdirSync(dir)) {
  if (!/\.(js|css|svg|json|html|txt)$/.test(name)) continue;
  const body = readFileSync(join(dir, name));
  const b = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(join(dir, `${name}.br`), b);
  writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
  raw += body.length;
  br += b.length;
}
console.log(
  `web/dist/assets: ${(raw / 1024).toFixed(0)} KB of text assets, ${(br / 1024).toFixed(0)} KB brotli`,
);
