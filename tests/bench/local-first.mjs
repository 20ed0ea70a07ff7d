// Benchmark, not a test (it asserts nothing about time; not run in CI): the local-first figures
// of the shared diagnosis page in Debian's Chromium, against the real server on loopback.
//
//   1. opening a document of 10,000 changes from IndexedDB, offline (several reloads): the
//      page's `terrain:open-local` measure, and the wall time from reload to drawn actors;
//   2. resyncing 10,000 changes made on the server while the browser was offline;
//   3. resyncing N changes the browser made itself while offline (N key presses, each one a
//      pinned position), and how fast those presses went. N is 10,000, or 2,000 when the first
//      200 presses say 10,000 would take more than 5 minutes (the output says so).
//
// Run (release server and release wasm bundle, in a directory of its own):
//
//   cargo build --release -p server
//   TERRAIN_SITE_DIR=/tmp/bench-site bash .ci/build-web
//   TERRAIN_BIN=target/release/terrain TERRAIN_SITE_ROOT=/tmp/bench-site node tests/bench/local-first.mjs
//
// Knobs: BENCH_CHANGES (10000), BENCH_RELOADS (7), BENCH_PRESSES (10000), BENCH_PRESS_BUDGET_S
// (300: if N presses would take longer, 2,000 are made instead, and the output says so),
// BENCH_LIMIT_S (3600: the whole run is stopped, and cleaned up, after this).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as A from '@automerge/automerge';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { binary, launchBrowser, root, startServer, waitForHydration } from '../e2e/support.mjs';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 10_000);
const RELOADS = Math.max(1, Number(process.env.BENCH_RELOADS ?? 7));
const PRESSES = Number(process.env.BENCH_PRESSES ?? 10_000);
const PRESS_FALLBACK = Math.min(2_000, PRESSES);
const PRESS_BUDGET_MS = Number(process.env.BENCH_PRESS_BUDGET_S ?? 300) * 1000;
const LIMIT_MS = Number(process.env.BENCH_LIMIT_S ?? 3600) * 1000;
const ACTORS = 40;
const site = process.env.TERRAIN_SITE_ROOT ?? join(root, 'target/site');

console.log(
  '# terrain local-first benchmark: TERRAIN_BIN=target/release/terrain TERRAIN_SITE_ROOT=/tmp/bench-site node tests/bench/local-first.mjs',
);

// ---------------------------------------------------------------------------------------------
// Helpers

const S = (s) => new A.ImmutableString(s); // a scalar string, as the Rust model writes them
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const lastWord = (text) => text.trim().split('\n').pop().trim().split(/\s+/).pop();

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, median: at(0.5), p90: at(0.9), min: s[0], max: s[s.length - 1] };
}
const ms = (x) => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(1)} ms`);
const rows = [];
let section = '';
function row(what, value, note = '') {
  rows.push([`${section}${what}`, value, note]);
  console.log(`  ${what}: ${value}${note ? `  (${note})` : ''}`);
}

async function until(what, check, timeout, every = 50) {
  const started = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - started > timeout) throw new Error(`${what}: not within ${timeout / 1000} s`);
    await sleep(every);
  }
}

// ---------------------------------------------------------------------------------------------
// Setup: demo accounts, the server, a diagnosis registered through the API.

const dataDir = mkdtempSync(join(tmpdir(), 'terrain-bench-local-first-'));
const env = { ...process.env, DATABASE_URL: `sqlite://${dataDir}/terrain.db?mode=rwc`, TERRAIN_LOG: 'warn' };
const terrain = (...args) => execFileSync(binary, args, { env, encoding: 'utf8' });

let server;
let browser;
let page;
const repos = [];

async function cleanup() {
  for (const r of repos.splice(0)) await r.shutdown().catch(() => {});
  await browser?.close().catch(() => {});
  browser = undefined;
  await server?.stop().catch(() => {});
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
  console.error(`# stopped: the run took longer than ${LIMIT_MS / 1000} s`);
  cleanup().finally(() => process.exit(2));
}, LIMIT_MS);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => cleanup().finally(() => process.exit(130)));
}

function repo(name, token) {
  const adapter = new WebSocketClientAdapter(`${server.url.replace('http', 'ws')}/sync?token=${token}`, 500);
  const r = new Repo({ network: [adapter], peerId: `${name}-${Math.random().toString(36).slice(2, 8)}` });
  repos.push(r);
  return r;
}

async function dropRepo(r) {
  repos.splice(repos.indexOf(r), 1);
  await r.shutdown().catch(() => {});
}

/** Waits until a fresh client, connecting now, gets exactly these heads from the server. */
async function serverHas(token, url, heads, timeout = 300_000) {
  const want = [...heads].sort().join();
  const started = Date.now();
  for (;;) {
    const r = repo('check', token);
    try {
      const h = await r.find(url);
      const got = await until(
        'heads on a fresh client',
        () => {
          const d = h.doc();
          return d && [...A.getHeads(d)].sort().join() === want ? d : null;
        },
        10_000,
        100,
      ).catch(() => null);
      if (got) return got;
    } finally {
      await dropRepo(r);
    }
    if (Date.now() - started > timeout) throw new Error('the server never had every change');
  }
}

/** `count` separate small changes, each a different value; the last renames actor 0. */
async function makeChanges(handle, ids, count, offset, marker) {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const n = offset + i;
    if (i === count - 1) {
      handle.change((d) => {
        d.actors[ids[0]].name = S(marker);
      });
    } else {
      // Every ACTORS changes the same actor comes back with the next value: never a no-op.
      handle.change((d) => {
        d.actors[ids[n % ACTORS]].interest = 1 + (Math.floor(n / ACTORS) % 5);
      });
    }
    // Let the adapter send as we go, as a live client would (automerge-repo batches per 100 ms).
    if (i % 250 === 249) await new Promise((r) => setImmediate(r));
  }
  return performance.now() - started;
}

try {
  console.log(`# load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const demo = terrain('demo');
  const territory = Number(demo.match(/\(id (\d+)\)/)[1]);
  const coaches = [];
  for (const line of demo.split('\n')) {
    const m = line.trim().match(/^coach\s+(\S+@\S+)\s+.*\s(\S+)$/);
    if (m) coaches.push({ email: m[1], password: m[2] });
  }
  const token = lastWord(terrain('token', 'create', '--email', coaches[0].email));
  const assets = existsSync(join(site, 'assets.json')) ? JSON.parse(readFileSync(join(site, 'assets.json'), 'utf8')) : {};
  server = await startServer({ dataDir, env: { TERRAIN_SITE_ROOT: site } });
  console.log(`# server ${binary}, bundle ${site} (${assets.wasm ?? 'no assets.json'}), ${server.url}`);

  const res = await fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ territory, kind: 'diagnosis', title: 'Diagnostic (benchmark)' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/documents: ${res.status} ${await res.text()}`);
  const { id: docId, url } = await res.json();

  // A JS automerge-repo client writes the document: ACTORS actors, then CHANGES changes.
  const writerRepo = repo('writer', token);
  const writer = await writerRepo.find(url);
  await until('the registered document', () => writer.doc()?.actors, 10_000);
  const ids = Array.from({ length: ACTORS }, (_, i) => `bench${String(i).padStart(7, '0')}`);
  writer.change((d) => {
    ids.forEach((id, i) => {
      d.actors[id] = {
        name: S(`Acteur ${i}`),
        category: S(['civil_society', 'elected_official', 'administration', 'economic_player', 'other'][i % 5]),
        organisation: S(''),
        level: S('commune'),
        influence: 1 + (i % 5),
        interest: 3,
        notes: S(''),
        location: S(''),
        x: null,
        y: null,
        deleted: false,
      };
    });
    for (let i = 0; i < ACTORS; i++) {
      d.ties[`tie${String(i).padStart(9, '0')}`] = {
        from: S(ids[i]),
        to: S(ids[(i * 7 + 3) % ACTORS]),
        kind: S('alliance'),
        directed: false,
        strength: 3,
        since: S('2024'),
        recorded_by: S('bench'),
        deleted: false,
      };
    }
  });
  const marker1 = `Lot1 ${CHANGES}`;
  const made1 = await makeChanges(writer, ids, CHANGES, 0, marker1);
  let t = performance.now();
  const onServer1 = await serverHas(token, url, A.getHeads(writer.doc()));
  const total1 = A.getAllChanges(onServer1).length;
  // Gone before the browser comes: the page's presence messages are JSON, which automerge-repo's
  // JS peers (expecting CBOR) log as errors; noise here.
  await dropRepo(writerRepo);
  console.log(`# document ${docId}: ${total1} changes on the server`);
  console.log('\nsetup');
  row('JS client: changes made', `${CHANGES} in ${(made1 / 1000).toFixed(1)} s`);
  row('…then on the server (a fresh client has every head)', `${((performance.now() - t) / 1000).toFixed(1)} s later`);

  // ---------------------------------------------------------------------------------------------
  // The browser: a coach opens the document online, then reloads it offline.
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error(`# page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`# page console: ${m.text().slice(0, 300)}`));
  await page.goto(`${server.url}/login`);
  await waitForHydration(page);
  await page.locator('input[name=email]').fill(coaches[1].email);
  await page.locator('input[name=password]').fill(coaches[1].password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(/\/territories$/);

  // An actor drawn with this name (the last change of a batch renames one).
  const drawn = (text) => page.locator('.graph [data-actor]', { hasText: text });
  const entries = (name) =>
    page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);

  console.log('\nfirst visit, online');
  t = performance.now();
  await page.goto(`${server.url}/documents/${docId}`);
  await page.locator('[data-sync="synced"]').waitFor({ timeout: 300_000 });
  await drawn(marker1).waitFor({ timeout: 60_000 });
  row(`open online with an empty device: goto → synced, ${total1} changes shown`, ms(performance.now() - t));
  // The service worker keeps this page for offline reloads; give IndexedDB a moment to finish.
  await until(
    'the page in the service worker cache',
    () =>
      page.evaluate(async () =>
        Boolean(navigator.serviceWorker.controller) &&
        Boolean(await (await caches.open('terrain-pages')).match(location.pathname)),
      ),
    30_000,
    200,
  );
  await sleep(3000);

  await context.setOffline(true);
  await page.locator('[data-sync="offline"]').waitFor({ timeout: 10_000 });
  console.log(`\nopen from IndexedDB, offline (${RELOADS} reloads)`);
  const openLocal = [];
  const openWall = [];
  for (let i = 0; i < RELOADS; i++) {
    const t0 = performance.now();
    await page.reload({ waitUntil: 'commit' });
    await page.locator('.graph [data-actor]').first().waitFor({ timeout: 120_000 });
    openWall.push(performance.now() - t0);
    await page.waitForFunction(() => performance.getEntriesByName('terrain:open-local').length > 0, null, {
      timeout: 10_000,
    });
    openLocal.push((await entries('terrain:open-local'))[0]);
    if (i === 0) await drawn(marker1).waitFor({ timeout: 10_000 }); // the device really had it all
  }
  const ol = stats(openLocal);
  const ow = stats(openWall);
  row(`terrain:open-local (${total1} changes)`, `median ${ms(ol.median)}, min ${ms(ol.min)}, max ${ms(ol.max)}`, `${ol.n} reloads`);
  row('wall: page.reload() → actors drawn', `median ${ms(ow.median)}, min ${ms(ow.min)}, max ${ms(ow.max)}`, `${ow.n} reloads`);
  await page.locator('[data-sync="offline"]').waitFor({ timeout: 10_000 });

  // ---------------------------------------------------------------------------------------------
  // (a) While the browser is offline, CHANGES more are made on the server.
  console.log(`\nresync (a): ${CHANGES} changes made elsewhere while offline`);
  section = '(a) ';
  const marker2 = `Lot2 ${2 * CHANGES}`;
  const writerRepo2 = repo('writer', token);
  const writer2 = await writerRepo2.find(url);
  await until('the document, again', () => writer2.doc() && A.getHeads(writer2.doc()).length && writer2.doc().actors?.[ids[0]], 60_000);
  await makeChanges(writer2, ids, CHANGES, CHANGES, marker2);
  const onServer2 = await serverHas(token, url, A.getHeads(writer2.doc()));
  const total2 = A.getAllChanges(onServer2).length;
  await dropRepo(writerRepo2);
  const before = (await entries('terrain:resync')).length;
  t = performance.now();
  await context.setOffline(false);
  await page.locator('[data-sync="synced"]').waitFor({ timeout: 600_000 });
  const syncedA = performance.now() - t;
  await drawn(marker2).waitFor({ timeout: 600_000 });
  const shownA = performance.now() - t;
  const resyncA = (await entries('terrain:resync')).slice(before);
  row('terrain:resync', resyncA.length ? ms(resyncA[resyncA.length - 1]) : 'not recorded', resyncA.length > 1 ? `${resyncA.length} entries: ${resyncA.map(ms).join(', ')}` : '');
  row('wall: back online → synced', ms(syncedA));
  row('wall: back online → the last change shown', ms(shownA), `document now ${total2} changes`);

  // ---------------------------------------------------------------------------------------------
  // (b) The browser edits offline: N presses of ArrowRight on a selected node, one change each.
  console.log('\nresync (b): changes made in this browser while offline');
  section = '(b) ';
  await sleep(2000);
  await context.setOffline(true);
  await page.locator('[data-sync="offline"]').waitFor({ timeout: 10_000 });
  const target = ids[5];
  const node = page.locator(`.graph [data-actor="${target}"]`);
  // Select it as a person would, from the list of actors (or on the graph if the list is not there).
  const chipButton = page.locator(`[data-actor-chip="${target}"]`);
  if (await chipButton.count()) await chipButton.click();
  else {
    console.log('  (no [data-actor-chip] button for it: selected on the graph)');
    await node.click();
  }
  const xOf = async () =>
    Number((await node.getAttribute('transform', { timeout: 5_000 }))?.match(/translate\(([-\d.]+)/)?.[1]);
  const x0 = await xOf();
  let presses = PRESSES;
  let fellBack = false;
  // What a press costs with nothing to do (a key the node ignores): Playwright's round trip.
  const idle = [];
  for (let i = 0; i < 50; i++) {
    const t1 = performance.now();
    await node.press('x');
    idle.push(performance.now() - t1);
  }
  const each = []; // ms per press
  const t0 = performance.now();
  for (let i = 0; i < presses; i++) {
    const t1 = performance.now();
    await node.press('ArrowRight');
    each.push(performance.now() - t1);
    if (i === 199 && presses > PRESS_FALLBACK) {
      // Later presses are slower than the first ones (more changes pending): a small margin.
      const projected = ((performance.now() - t0) / 200) * presses;
      if (projected * 1.2 > PRESS_BUDGET_MS) {
        presses = PRESS_FALLBACK;
        fellBack = true;
        console.log(`  (${PRESSES} presses projected at over ${(projected / 1000).toFixed(0)} s: making ${presses} instead)`);
      }
    }
  }
  const pressMs = performance.now() - t0;
  // Each press moved the node 10 units and wrote it: the node is where N presses put it.
  const expectedX = Math.round((x0 + 10 * presses) * 10) / 10;
  await until('the node at its last position', async () => Math.abs((await xOf()) - expectedX) < 0.11, 30_000);
  const pendingText = await page.locator('[data-sync]').innerText();
  row(`${presses} ArrowRight presses offline (one change each)`, `${(pressMs / 1000).toFixed(1)} s`, `${(presses / (pressMs / 1000)).toFixed(0)} changes/s, ${(pressMs / presses).toFixed(1)} ms each, through Playwright${fellBack ? `; ${PRESSES} would have taken over ${PRESS_BUDGET_MS / 1000} s` : ''}`);
  const firstPresses = stats(each.slice(0, 200));
  const lastPresses = stats(each.slice(-200));
  row('one press: first 200 / last 200, median', `${ms(firstPresses.median)} / ${ms(lastPresses.median)}`, `a key the page ignores: ${ms(stats(idle).median)}`);
  console.log(`  badge while offline: ${pendingText.replace(/\s+/g, ' ')}`);
  // IndexedDB writes finish after the key handler; let them land before reconnecting.
  await sleep(3000);
  const beforeB = (await entries('terrain:resync')).length;
  t = performance.now();
  await context.setOffline(false);
  await page.locator('[data-sync="synced"]').waitFor({ timeout: 600_000 });
  const syncedB = performance.now() - t;
  const resyncB = (await entries('terrain:resync')).slice(beforeB);
  row('terrain:resync', resyncB.length ? ms(resyncB[resyncB.length - 1]) : 'not recorded', resyncB.length > 1 ? `${resyncB.length} entries: ${resyncB.map(ms).join(', ')}` : '');
  row('wall: back online → synced', ms(syncedB));
  // The server really has them: a fresh client sees the last position.
  await context.close();
  page = undefined;
  const checkRepo = repo('check-b', token);
  const h = await checkRepo.find(url);
  await until('the last position on the server', () => Math.abs((h.doc()?.actors?.[target]?.x ?? NaN) - expectedX) < 0.11, 60_000, 100);
  const totalB = A.getAllChanges(h.doc()).length;
  console.log(`  the server has the last position (x = ${expectedX}); document now ${totalB} changes`);
  await dropRepo(checkRepo);

  // ---------------------------------------------------------------------------------------------
  console.log(`# load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('\n# summary (loopback, headless Chromium; one 2-core machine shared with other work: figures are noisy)');
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [what, value, note] of rows) console.log(`| ${what.padEnd(width)} | ${value}${note ? ` | ${note}` : ''}`);
} catch (e) {
  console.error(`# failed: ${e.stack ?? e}`);
  if (page) {
    const shot = join(tmpdir(), 'terrain-bench-local-first-failure.png');
    await page.screenshot({ path: shot, fullPage: true }).then(() => console.error(`# page at the failure: ${shot}`), () => {});
    console.error(`# sync badge: ${await page.locator('[data-sync]').innerText({ timeout: 1000 }).catch(() => '?')}`);
  }
  process.exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
