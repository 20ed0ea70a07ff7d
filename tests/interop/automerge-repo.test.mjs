// Interop with real JS peers: @automerge/automerge-repo 2.5 with its WebSocket client adapter,
// against the terrain server with ?token=. Two coaches co-edit a document created through
// POST /api/documents; a manager reads but cannot write; an outsider is refused; the server
// restarts and nothing is lost.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { binary, startServer } from '../e2e/support.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'terrain-interop-'));
const env = { ...process.env, DATABASE_URL: `sqlite://${dataDir}/terrain.db?mode=rwc`, TERRAIN_LOG: 'warn' };
const terrain = (...args) => execFileSync(binary, args, { env, encoding: 'utf8' }).trim();
const lastWord = (text) => text.split('\n').pop().trim().split(/\s+/).pop();

let server;
const tokens = {};
const repos = [];

function repo(name, token) {
  const adapter = new WebSocketClientAdapter(`${server.url.replace('http', 'ws')}/sync?token=${token}`, 500);
  const r = new Repo({ network: [adapter], peerId: `${name}-${Math.random().toString(36).slice(2, 8)}` });
  repos.push(r);
  return r;
}

async function closeRepos() {
  for (const r of repos.splice(0)) {
    await r.shutdown().catch(() => {});
  }
}

/** Waits until `check(doc)` holds, or fails after `ms`. */
async function until(handle, check, ms = 5000) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const doc = handle.doc();
    if (doc && check(doc)) return doc;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`condition not met within ${ms} ms; document: ${JSON.stringify(handle.doc())}`);
}

let url;

before(async () => {
  terrain('demo');
  const territory = lastWord(terrain('territory', 'add', '--name', 'Ailleurs'));
  terrain('user', 'add', '--email', 'outsider@test.ma', '--password', 'a long enough password');
  terrain('member', 'add', '--territory', territory, '--email', 'outsider@test.ma', '--role', 'coach');
  for (const [who, email] of [
    ['coachA', 'salma.benali@terrain.demo'],
    ['coachB', 'karim.ouahbi@terrain.demo'],
    ['manager', 'nadia.cherkaoui@terrain.demo'],
    ['outsider', 'outsider@test.ma'],
  ]) {
    tokens[who] = lastWord(terrain('token', 'create', '--email', email));
  }
  server = await startServer({ dataDir });
  const commune = terrain('territory', 'list').split('\n').find((l) => l.includes('Bni Drar')).split('\t')[0];
  const res = await fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.coachA}`, 'content-type': 'application/json' },
    body: JSON.stringify({ territory: Number(commune), kind: 'diagnosis', title: 'Diagnostic de Bni Drar' }),
  });
  assert.equal(res.status, 201);
  url = (await res.json()).url;
  assert.match(url, /^automerge:/);
});

after(async () => {
  await closeRepos();
  await server?.stop();
});

test('two coaches co-edit through the server', async () => {
  const a = await repo('coach-a', tokens.coachA).find(url);
  const b = await repo('coach-b', tokens.coachB).find(url);
  await until(a, (d) => d.title === 'Diagnostic de Bni Drar');
  await until(b, (d) => d.kind === 'diagnosis');
  a.change((d) => {
    d.actors = [{ id: 'a1', name: 'Association Tifawin', category: 'civil_society' }];
  });
  b.change((d) => {
    d.core_problem = 'Exode rural des jeunes';
  });
  await until(b, (d) => d.actors?.[0]?.name === 'Association Tifawin');
  await until(a, (d) => d.core_problem === 'Exode rural des jeunes');
  const started = performance.now();
  a.change((d) => {
    d.actors.push({ id: 'a2', name: 'Commune rurale', category: 'elected_official' });
  });
  await until(b, (d) => d.actors?.length === 2);
  console.log(`# a change reached the other coach in ${(performance.now() - started).toFixed(1)} ms`);
});

test('presence is relayed to the other peers as CBOR, in the shape the browser sends', async () => {
  const a = await repo('coach-a-presence', tokens.coachA).find(url);
  const b = await repo('coach-b-presence', tokens.coachB).find(url);
  await until(b, (d) => d.kind === 'diagnosis');
  const heard = new Promise((resolve) => {
    b.on('ephemeral-message', (e) => resolve(e.message));
  });
  // The browser sends {name, editing} (see Presence::to_cbor); a JS peer decodes it as an object.
  const sending = setInterval(() => a.broadcast({ name: 'Salma Benali', editing: 'actors/a1' }), 100);
  try {
    const message = await Promise.race([
      heard,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no presence within 5 s')), 5000)),
    ]);
    assert.deepEqual(message, { name: 'Salma Benali', editing: 'actors/a1' });
  } finally {
    clearInterval(sending);
  }
});

test('a manager reads but cannot write', async () => {
  const m = await repo('manager', tokens.manager).find(url);
  await until(m, (d) => d.core_problem === 'Exode rural des jeunes');
  m.change((d) => {
    d.core_problem = 'modifié par un responsable';
  });
  await new Promise((r) => setTimeout(r, 700));
  const fresh = await repo('coach-check', tokens.coachA).find(url);
  await until(fresh, (d) => d.actors?.length === 2);
  assert.equal(fresh.doc().core_problem, 'Exode rural des jeunes');
});

test('an outsider is refused', async () => {
  const r = repo('outsider', tokens.outsider);
  await assert.rejects(r.find(url), /unavailable/i);
});

test('the server restarts and nothing is lost', async () => {
  await closeRepos();
  await server.stop({ keepData: true });
  server = await startServer({ dataDir });
  const c = await repo('after-restart', tokens.coachB).find(url);
  const doc = await until(c, (d) => d.actors?.length === 2);
  assert.equal(doc.core_problem, 'Exode rural des jeunes');
  assert.deepEqual(doc.actors.map((x) => x.name), ['Association Tifawin', 'Commune rurale']);
});
