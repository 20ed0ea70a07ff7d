// The shared diagnosis in real Chromium, as two coaches and a manager: an edit in one browser
// shows in the other; both go offline, edit the same field and different items, reload while
// offline and still see their work; the server restarts meanwhile; back online both converge,
// the conflict is shown with who set each value and settled with one click; the manager sees
// the result read-only. Screenshots in French and Arabic.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { binary, launchBrowser, shot, startServer, waitForHydration } from './support.mjs';

let server;
let browser;
let dataDir;
const people = { coach: [], manager: [] };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'terrain-e2e-diagnosis-'));
  const out = execFileSync(binary, ['demo'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${dataDir}/terrain.db?mode=rwc`, TERRAIN_LOG: 'warn' },
    encoding: 'utf8',
  });
  for (const line of out.split('\n')) {
    const m = line.trim().match(/^(coach|manager)\s+(\S+@\S+)\s+.*\s(\S+)$/);
    if (m) people[m[1]].push({ email: m[2], password: m[3] });
  }
  assert.equal(people.coach.length, 2, out);
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(context, who) {
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await waitForHydration(page);
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL(/\/territories$/);
  return page;
}

/** From "my territories" to the commune's diagnosis, through the links a person would click. */
async function openDiagnosis(page) {
  await page.locator('.territory-card a').first().click();
  await page.waitForURL(/\/territories\/\d+$/);
  await page.locator('a[href^="/documents/"]').first().click();
  await page.waitForURL(/\/documents\/\w+$/);
  await page.locator('[data-sync="synced"]').waitFor({ timeout: 15_000 });
  await page.locator('.graph [data-actor]').nth(30).waitFor();
}

const actorByName = (page, name) => page.locator('.graph [data-actor]', { hasText: name });

async function addActor(page, name) {
  await page.locator('[data-add-actor]').click();
  const form = page.locator('[data-actor-form]');
  await form.locator('input[name=name]').fill(name);
  await form.locator('select[name=category]').selectOption('economic_player');
  await form.locator('button[type=submit]').click();
}

async function renameActor(page, from, to) {
  await page.locator('[data-actor-chip]', { hasText: from }).first().click();
  const form = page.locator('[data-actor-form]');
  await form.locator('input[name=name]').fill(to);
  await form.locator('button[type=submit]').click();
}

test('two coaches co-edit the sociogram online and offline, and a manager reads the result', async () => {
  const fr = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const ar = await browser.newContext({ locale: 'ar-MA', viewport: { width: 1280, height: 900 } });
  const salma = await signIn(fr, people.coach[0]);
  const youssef = await signIn(ar, people.coach[1]);
  await openDiagnosis(salma);
  await openDiagnosis(youssef);
  assert.equal(await youssef.locator('html').getAttribute('dir'), 'rtl');

  // Online: an actor added by one shows in the other.
  const t0 = Date.now();
  await addActor(salma, 'Ruchers collectifs Test');
  await actorByName(youssef, 'Ruchers collectifs Test').waitFor({ timeout: 5_000 });
  console.log(`# an added actor reached the other browser in ${Date.now() - t0} ms (loopback, via the server)`);
  // Presence: Youssef sees Salma (initials with a colour).
  await youssef.locator('.presence .avatar[data-name="Salma Benali"]').waitFor({ timeout: 15_000 });
  await shot(salma, 'diagnosis-sociogram-fr');
  await shot(youssef, 'diagnosis-sociogram-ar');

  // Both offline. The same field (an actor's name) and different items.
  await fr.setOffline(true);
  await ar.setOffline(true);
  await salma.locator('[data-sync="offline"]').waitFor({ timeout: 10_000 });
  await youssef.locator('[data-sync="offline"]').waitFor({ timeout: 10_000 });
  await renameActor(salma, 'Ruchers collectifs Test', 'Ruchers collectifs Salma');
  await renameActor(youssef, 'Ruchers collectifs Test', 'تعاونية النحل');
  await addActor(salma, 'Association offline Salma');
  await addActor(youssef, 'جمعية يوسف');
  await actorByName(salma, 'Association offline Salma').waitFor();
  assert.match(await salma.locator('[data-sync="offline"]').innerText(), /[1-9]/);
  await shot(salma, 'diagnosis-offline-fr');
  await shot(youssef, 'diagnosis-offline-ar');

  // Reload with no network: the service worker opens the page, IndexedDB the document.
  await salma.reload();
  await youssef.reload();
  await waitForHydration(salma);
  await waitForHydration(youssef);
  await actorByName(salma, 'Association offline Salma').waitFor({ timeout: 15_000 });
  await actorByName(salma, 'Ruchers collectifs Salma').waitFor();
  await actorByName(youssef, 'جمعية يوسف').waitFor({ timeout: 15_000 });
  await salma.locator('[data-sync="offline"]').waitFor();

  // Meanwhile the server restarts, on the same address.
  const address = new URL(server.url).host;
  await server.stop({ keepData: true });
  server = await startServer({ dataDir, env: { TERRAIN_ADDR: address } });

  // Back online: both converge with every edit; the same-field edit is a conflict to settle.
  await fr.setOffline(false);
  await ar.setOffline(false);
  for (const page of [salma, youssef]) {
    await page.locator('[data-sync="synced"]').waitFor({ timeout: 30_000 }).catch(async (e) => {
      await shot(page, 'failed-resync');
      console.log(await page.locator('.sync-badge').innerText());
      throw e;
    });
    await actorByName(page, 'Association offline Salma').waitFor({ timeout: 10_000 });
    await actorByName(page, 'جمعية يوسف').waitFor({ timeout: 10_000 });
    await page.locator('.conflicts .conflict[data-field="name"]').waitFor({ timeout: 10_000 });
  }
  const conflict = await salma.locator('.conflicts .conflict').innerText();
  assert.match(conflict, /Ruchers collectifs Salma/);
  assert.match(conflict, /تعاونية النحل/);
  assert.match(conflict, /Salma Benali/);
  assert.match(conflict, /Youssef El Idrissi/);
  // The summary of what changed while away names the other coach.
  await salma.locator('.away').waitFor({ timeout: 10_000 });
  assert.match(await salma.locator('.away').innerText(), /Youssef El Idrissi/);
  await shot(salma, 'diagnosis-conflict-fr');
  await shot(youssef, 'diagnosis-conflict-ar');

  // Keep Youssef's value: a normal change; the conflict disappears on both sides.
  await salma.locator('.conflicts .choices li', { hasText: 'تعاونية النحل' }).getByRole('button').click();
  for (const page of [salma, youssef]) {
    await page.locator('.conflicts').waitFor({ state: 'detached', timeout: 10_000 });
    await actorByName(page, 'تعاونية النحل').waitFor();
  }

  // The manager sees everything, and has no way to edit.
  const managerContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const nadia = await signIn(managerContext, people.manager[0]);
  await openDiagnosis(nadia);
  await actorByName(nadia, 'تعاونية النحل').waitFor();
  await actorByName(nadia, 'Association offline Salma').waitFor();
  assert.equal(await nadia.locator('[data-add-actor]').count(), 0);
  await nadia.locator('.read-only-note').waitFor();
  await nadia.locator('[data-actor-chip]').first().click();
  assert.equal(await nadia.locator('[data-actor-form] button[type=submit]').count(), 0);
  assert.ok(await nadia.locator('[data-actor-form] input[name=name]').isDisabled());
  await shot(nadia, 'diagnosis-manager-fr');

  // Phone-sized: the page fits, the graph and the forms stack.
  await youssef.setViewportSize({ width: 360, height: 780 });
  const overflow = await youssef.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
  await shot(youssef, 'diagnosis-phone-ar');

  await fr.close();
  await ar.close();
  await managerContext.close();
});

/** Adds an item to a SWOT quadrant through the board's inline form. */
async function addSwot(page, quadrant, text) {
  await page.locator(`[data-add-swot="${quadrant}"]`).click();
  const form = page.locator('[data-swot-form]');
  await form.locator('[name="swot-text"]').fill(text);
  await form.locator('button[type=submit]').click();
}

const swotItem = (page, quadrant, text) =>
  page.locator(`[data-quadrant="${quadrant}"] [data-swot-item]`, { hasText: text });

test('the SWOT board is co-edited in real time and by a coach who was offline for a while', async () => {
  const fr = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const ar = await browser.newContext({ locale: 'ar-MA', viewport: { width: 1280, height: 900 } });
  const salma = await signIn(fr, people.coach[0]);
  const youssef = await signIn(ar, people.coach[1]);
  await openDiagnosis(salma);
  await openDiagnosis(youssef);
  for (const page of [salma, youssef]) await page.locator('#tab-swot').click();

  // Live: one adds, the other sees it.
  await addSwot(salma, 'opportunity', 'Label « Miel de l\'Oriental » en préparation');
  await swotItem(youssef, 'opportunity', 'Miel de l\'Oriental').waitFor({ timeout: 5_000 });

  // Youssef works offline for a while; Salma goes on online.
  await ar.setOffline(true);
  await youssef.locator('[data-sync="offline"]').waitFor({ timeout: 10_000 });
  await addSwot(youssef, 'threat', 'جفاف متكرر يهدد المراعي');
  await addSwot(salma, 'strength', 'Réseau associatif dense dans les douars');
  await swotItem(youssef, 'threat', 'جفاف').waitFor();
  assert.equal(await swotItem(salma, 'threat', 'جفاف').count(), 0, 'an offline edit cannot reach anyone');
  assert.equal(await swotItem(youssef, 'strength', 'Réseau associatif').count(), 0);
  await shot(youssef, 'diagnosis-swot-offline-ar');

  // Back online: both boards hold both items.
  await ar.setOffline(false);
  for (const page of [salma, youssef]) {
    await swotItem(page, 'threat', 'جفاف').waitFor({ timeout: 15_000 });
    await swotItem(page, 'strength', 'Réseau associatif').waitFor({ timeout: 15_000 });
    await page.locator('[data-sync="synced"]').waitFor({ timeout: 15_000 });
  }
  await shot(salma, 'diagnosis-swot-fr');
  await shot(youssef, 'diagnosis-swot-ar');

  // The other tabs render from the same document.
  for (const tab of ['tree', 'positions', 'analysis']) {
    await salma.locator(`#tab-${tab}`).click();
    await salma.locator(`#panel-${tab}`).waitFor();
    await shot(salma, `diagnosis-${tab}-fr`);
  }
  await salma.locator('[data-metrics-row]').first().waitFor();
  assert.ok((await salma.locator('[data-metrics-row][data-broker]').count()) > 0, 'brokers are flagged');
  await fr.close();
  await ar.close();
});
