// Gives the browser bundle content-hashed names, precompresses each file (brotli, gzip) and
// writes target/site/assets.json, which the server reads to link them.
// Input: target/site/stage/{terrain.js,terrain_bg.wasm} (wasm-bindgen + wasm-opt) and style/terrain.css.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const site = process.env.TERRAIN_SITE_DIR ? join(process.env.TERRAIN_SITE_DIR.startsWith('/') ? '' : root, process.env.TERRAIN_SITE_DIR) : join(root, 'target/site');
const stage = join(site, 'stage');
const pkg = join(site, 'pkg');

rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });

const inputs = {
  js: join(stage, 'terrain.js'),
  wasm: join(stage, 'terrain_bg.wasm'),
  css: join(root, 'style/terrain.css'),
};
const manifest = {};
const sizes = {};
for (const [kind, path] of Object.entries(inputs)) {
  const body = readFileSync(path);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const base = path.split('/').pop();
  const dot = base.lastIndexOf('.');
  const name = `${base.slice(0, dot)}.${hash}${base.slice(dot)}`;
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  const gz = gzipSync(body, { level: 9 });
  writeFileSync(join(pkg, name), body);
  writeFileSync(join(pkg, `${name}.br`), br);
  writeFileSync(join(pkg, `${name}.gz`), gz);
  manifest[kind] = name;
  sizes[kind] = { raw: body.length, gzip: gz.length, brotli: br.length };
}
writeFileSync(join(site, 'assets.json'), JSON.stringify(manifest, null, 2) + '\n');
for (const [kind, s] of Object.entries(sizes)) {
  console.log(`${kind.padEnd(5)} ${manifest[kind].padEnd(36)} raw ${s.raw} B, gzip ${s.gzip} B, brotli ${s.brotli} B`);
}
console.log(`bundle written to ${pkg} (${readdirSync(pkg).length} files)`);
