// Action plans and the managers' portfolio in real Chromium: a coach moves an action on the
// plan's board while a manager watches the portfolio, which follows within seconds; the exports
// download and parse; the manager has no way to edit the plan. Screenshots in French and Arabic.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { binary, launchBrowser, shot, startServer, waitForHydration } from './support.mjs';

let server;
let browser;
const people = { coach: [], manager: [] };

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'terrain-e2e-plan-'));
  const out = execFileSync(binary, ['demo'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${dataDir}/terrain.db?mode=rwc`, TERRAIN_LOG: 'warn' },
    encoding: 'utf8',
  });
  for (const line of out.split('\n')) {
    const m = line.trim().match(/^(coach|manager)\s+(\S+@\S+)\s+.*\s(\S+)$/);
    if (m) people[m[1]].push({ email: m[2], password: m[3] });
  }
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

async function openPlan(page) {
  await page.locator('.territory-card a').first().click();
  await page.waitForURL(/\/territories\/\d+$/);
  await page.locator('a[href^="/documents/"]', { hasText: "Plan d'action" }).click();
  await page.waitForURL(/\/documents\/\w+$/);
  await page.locator('[data-sync="synced"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-action="pa-act-meters"]').first().waitFor();
}

const meters = '[data-portfolio-action="pa-act-meters"]';

test('a coach moves an action while a manager watches the portfolio; exports parse; the manager cannot edit', async () => {
  const fr = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  const ar = await browser.newContext({ locale: 'ar-MA', viewport: { width: 1280, height: 900 } });
  const salma = await signIn(fr, people.coach[0]);
  const nadia = await signIn(ar, people.manager[0]);

  await openPlan(salma);
  await shot(salma, 'plan-tree-fr');
  assert.ok((await salma.locator('.action-row[data-late]').count()) >= 2, 'late actions are marked');

  await nadia.goto(`${server.url}/portfolio`);
  await waitForHydration(nadia);
  await nadia.locator(meters).first().waitFor();
  const lateBefore = Number(await nadia.locator('[data-kpi="late"] .figure').innerText());
  assert.ok(lateBefore >= 2);
  await shot(nadia, 'portfolio-ar');

  // The coach marks the late action done on the board; the manager's dashboard follows.
  await salma.locator('#tab-board').click();
  const t0 = Date.now();
  await salma.locator('[data-status-column] [data-action="pa-act-meters"] [data-move]').selectOption('done');
  await nadia.locator(`${meters} .badge.status-done`).first().waitFor({ timeout: 10_000 }).catch(async (e) => {
    await shot(salma, 'failed-plan-coach');
    await shot(nadia, 'failed-plan-manager');
    const csv = await (await nadia.request.get(`${server.url}/api/portfolio/actions.csv`)).text();
    console.log(csv.split('\r\n').filter((r) => r.includes('compteurs')).join('\n'));
    throw e;
  });
  console.log(`# the manager's dashboard showed the coach's change after ${Date.now() - t0} ms (1 s refresh)`);
  assert.equal(Number(await nadia.locator('[data-kpi="late"] .figure').innerText()), lateBefore - 1);
  await shot(salma, 'plan-board-fr');
  await salma.locator('#tab-timeline').click();
  await salma.locator('[data-gantt-bar]').first().waitFor();
  await shot(salma, 'plan-timeline-fr');

  // Exports, as the manager's browser would download them.
  const csv = await (await nadia.request.get(`${server.url}/api/portfolio/actions.csv`)).text();
  const rows = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(rows[0].split(',')[0], 'territory');
  assert.equal(rows.length, 1 + 18);
  assert.ok(rows.some((r) => r.includes('Installation de compteurs') && r.includes(',done,')), 'the CSV has the change');
  const filtered = await (await nadia.request.get(`${server.url}/api/portfolio/actions.csv?status=done`)).text();
  assert.ok(filtered.trim().split('\r\n').slice(1).every((r) => r.includes(',done,')));
  const xlsx = await nadia.request.get(`${server.url}/api/portfolio/report.xlsx`);
  assert.equal(xlsx.status(), 200);
  const bytes = await xlsx.body();
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX file is a zip');
  const outsider = await browser.newContext();
  assert.equal((await outsider.request.get(`${server.url}/api/portfolio/actions.csv`)).status(), 401);
  await outsider.close();

  // The printable report.
  await nadia.emulateMedia({ media: 'print' });
  await shot(nadia, 'portfolio-print-ar');
  await nadia.emulateMedia({ media: 'screen' });

  // The manager opens the plan itself: everything shows, nothing can be edited.
  await nadia.goto(`${server.url}/territories`);
  await openPlan(nadia);
  assert.equal(await nadia.locator('[data-add-action]').count(), 0);
  assert.equal(await nadia.locator('[data-edit-action]').count(), 0);
  await nadia.locator('#tab-board').click();
  assert.equal(await nadia.locator('[data-move]').count(), 0);
  await shot(nadia, 'plan-board-manager-ar');

  // A phone.
  await nadia.setViewportSize({ width: 360, height: 780 });
  await nadia.goto(`${server.url}/portfolio`);
  await nadia.locator(meters).first().waitFor();
  const overflow = await nadia.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the portfolio scrolls sideways by ${overflow}px on a phone`);
  await shot(nadia, 'portfolio-phone-ar');
  await fr.close();
  await ar.close();
});
