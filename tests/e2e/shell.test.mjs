// The shell in real Chromium: server-rendered French, hydration, the language switcher
// (which only works once the wasm runs), Arabic right-to-left, a 360 px phone, the keyboard,
// and the translated 404 page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hydrationProbe, launchBrowser, shot, startServer, waitForHydration } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('hydrates, switches to Arabic right-to-left, and remembers it', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  await context.addInitScript(hydrationProbe);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

  await page.goto(server.url);
  const html = page.locator('html');
  assert.equal(await html.getAttribute('lang'), 'fr');
  assert.equal(await html.getAttribute('dir'), 'ltr');
  assert.equal(await page.locator('h1').innerText(), 'Coacher un territoire, ensemble');

  await waitForHydration(page);
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { ttfb: nav.responseStart - nav.requestStart, hydrated: window.__hydratedAt };
  });
  console.log(`# timing: time-to-first-byte ${timing.ttfb.toFixed(1)} ms, hydrated at ${timing.hydrated?.toFixed(1)} ms after navigation start`);
  await shot(page, 'home-fr');

  // Only the hydrated page reacts to this button.
  await page.getByRole('button', { name: 'العربية' }).click();
  await page.waitForFunction(() => document.documentElement.dir === 'rtl');
  assert.equal(await html.getAttribute('lang'), 'ar');
  assert.equal(await page.locator('h1').innerText(), 'مواكبة التراب، معًا');
  assert.equal(await page.getByRole('button', { name: 'العربية' }).getAttribute('aria-pressed'), 'true');
  // Mirrored: the brand sits at the inline start, which is now the right-hand side.
  const brand = await page.locator('.brand').boundingBox();
  assert.ok(brand.x > 640, `brand should be on the right in RTL, x=${brand.x}`);
  await shot(page, 'home-ar');

  // The choice survives a reload: the server renders Arabic straight away.
  await page.reload();
  assert.equal(await html.getAttribute('dir'), 'rtl');
  assert.match(await page.locator('h2#cycle').innerText(), /المراحل الخمس/);

  assert.deepEqual(errors, []);
  await context.close();
});

test('usable on a 360 px phone, with the menu and the keyboard', async () => {
  for (const locale of ['fr-FR', 'ar-MA']) {
    const context = await browser.newContext({
      locale,
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForHydration(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow}px)`);

    const toggle = page.locator('.menu-toggle');
    assert.ok(await toggle.isVisible());
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#site-nav').isVisible(), false);
    await toggle.tap();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.locator('#site-nav').isVisible());
    await shot(page, `phone-menu-${locale.slice(0, 2)}`);
    await context.close();
  }
});

test('keyboard: skip link first, then every control reachable with Tab', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(server.url);
  await waitForHydration(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#main');

  await page.goto(server.url);
  await waitForHydration(page);
  const reached = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    reached.push(await page.evaluate(() => document.activeElement.textContent.trim()));
  }
  for (const name of ['Accueil', 'La démarche', 'Français', 'العربية', 'English']) {
    assert.ok(reached.includes(name), `${name} reachable by Tab: ${reached.join(' | ')}`);
  }
  // Switch language with the keyboard alone.
  await page.getByRole('button', { name: 'English' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await context.close();
});

test('unknown addresses get the translated 404 page', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  const res = await page.goto(`${server.url}/pas/ici`);
  assert.equal(res.status(), 404);
  assert.equal(await page.locator('h1').innerText(), 'Page introuvable');
  await waitForHydration(page);
  await shot(page, 'not-found-fr');
  await context.close();
});
