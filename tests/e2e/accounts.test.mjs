// Accounts in real Chromium: a coach signs in, sees their territory and role, opens it, creates
// a document, signs out; a wrong password shows the translated error; the admin area; in French
// and Arabic, with screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { binary, launchBrowser, shot, startServer, waitForHydration } from './support.mjs';

let server;
let browser;
const people = {};

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'terrain-e2e-accounts-'));
  // The demo loader prints each account's fresh password: role, email, name…, password.
  const out = execFileSync(binary, ['demo'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${dataDir}/terrain.db?mode=rwc`, TERRAIN_LOG: 'warn' },
    encoding: 'utf8',
  });
  for (const line of out.split('\n')) {
    const m = line.trim().match(/^(admin|coach|field|manager)\s+(\S+@\S+)\s+.*\s(\S+)$/);
    if (m && !people[m[1]]) people[m[1]] = { email: m[2], password: m[3] };
  }
  assert.ok(people.coach && people.manager && people.admin && people.field, out);
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, who, password = who.password) {
  await page.goto(`${server.url}/login`);
  await waitForHydration(page);
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form button[type=submit]').click();
}

test('a coach signs in, sees the territory and their role, creates a document, signs out', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await signIn(page, people.coach);
  await page.waitForURL(/\/territories$/);
  const card = page.locator('.territory-card', { hasText: 'Commune de Bni Drar' });
  await card.waitFor();
  assert.match(await card.innerText(), /Coach territorial/);
  assert.match(await page.locator('.user-name').innerText(), /Salma Benali/);
  await shot(page, 'territories-fr');

  await card.getByRole('link').click();
  await page.waitForURL(/\/territories\/\d+$/);
  await page.locator('h1', { hasText: 'Commune de Bni Drar' }).waitFor();
  await page.locator('select[name=kind]').selectOption('diagnosis');
  await page.locator('input[name=title]').fill('Diagnostic partagé de Bni Drar');
  await page.getByRole('button', { name: 'Créer' }).click();
  await page.locator('td', { hasText: 'Diagnostic partagé de Bni Drar' }).waitFor();
  await page.locator('.action-status .saved').waitFor();
  await shot(page, 'territory-fr');

  await page.getByRole('button', { name: 'Déconnexion' }).click();
  await page.getByRole('link', { name: 'Connexion' }).waitFor();
  // Signed out for real: the server sends the next visit to the login page.
  await page.goto(`${server.url}/territories`);
  await page.waitForURL(/\/login\?next=/);
  await context.close();
});

test('a wrong password shows the translated error, in French and in Arabic', async () => {
  for (const [locale, message] of [
    ['fr-FR', 'Adresse e-mail ou mot de passe incorrect.'],
    ['ar-MA', 'البريد الإلكتروني أو كلمة المرور غير صحيحة.'],
  ]) {
    const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await signIn(page, people.field, 'not-the-password');
    const alert = page.locator('form .error[role=alert]');
    await alert.waitFor();
    assert.equal(await alert.innerText(), message);
    assert.equal(await page.locator('html').getAttribute('dir'), locale === 'ar-MA' ? 'rtl' : 'ltr');
    await shot(page, `login-error-${locale.slice(0, 2)}`);
    await context.close();
  }
});

test('a manager sees the territory read-only, in Arabic', async () => {
  const context = await browser.newContext({ locale: 'ar-MA', viewport: { width: 1200, height: 800 } });
  const page = await context.newPage();
  await signIn(page, people.manager);
  await page.waitForURL(/\/territories$/);
  const card = page.locator('.territory-card', { hasText: 'Commune de Bni Drar' });
  await card.waitFor();
  assert.match(await card.innerText(), /مسؤول/);
  await shot(page, 'territories-ar');
  await card.getByRole('link').click();
  await page.locator('.badge.read-only').waitFor();
  assert.equal(await page.locator('input[name=title]').count(), 0, 'no way to create documents');
  await shot(page, 'territory-manager-ar');
  await context.close();
});

test('the admin area: create a territory, add a member, change a role', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, people.admin);
  await page.getByRole('link', { name: 'Administration' }).click();
  await page.waitForURL(/\/admin$/);
  await page.locator('h2#territories').waitFor();

  const territoryForm = page.locator('form', { has: page.locator('input[name=name]') });
  await territoryForm.locator('input[name=name]').fill('Commune de Sidi Boulenouar');
  await territoryForm.locator('select[name=parent]').selectOption({ label: "Préfecture d'Oujda-Angad" });
  await territoryForm.getByRole('button', { name: 'Créer' }).click();
  await page.locator('td', { hasText: 'Commune de Sidi Boulenouar' }).waitFor();

  const memberForm = page.locator('form', { has: page.locator('datalist') });
  await memberForm.locator('select[name=territory]').selectOption({ label: 'Commune de Sidi Boulenouar' });
  await memberForm.locator('input[name=email]').fill(people.field.email);
  await memberForm.locator('select[name=role]').selectOption('coach');
  await memberForm.getByRole('button', { name: 'Ajouter' }).click();
  const row = page.locator('tr', { hasText: 'Commune de Sidi Boulenouar' }).filter({ hasText: people.field.email });
  await row.waitFor();

  await row.locator('select[name=role]').selectOption('manager');
  await row.getByRole('button', { name: 'Changer le rôle' }).click();
  await page.locator('.action-status .saved').first().waitFor();
  await page.waitForFunction(
    (email) => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes(email) && tr.textContent.includes('Sidi') && tr.querySelector('select[name=role]')?.value === 'manager'),
    people.field.email,
  );
  await shot(page, 'admin-fr');
  await context.close();
});
