// Shared by the browser tests: start the real terrain binary on a free port with a fresh SQLite
// database, and launch Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const root = new URL('../../', import.meta.url).pathname;
export const screenshots = join(root, 'tests/screenshots');
mkdirSync(screenshots, { recursive: true });

export const binary = process.env.TERRAIN_BIN ?? join(root, 'target/debug/terrain');

/** Starts `terrain serve`; resolves once it prints the address it listens on. */
export async function startServer({ dataDir, env = {} } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'terrain-e2e-'));
  const child = spawn(binary, ['serve'], {
    cwd: root,
    env: {
      ...process.env,
      TERRAIN_ADDR: '127.0.0.1:0',
      DATABASE_URL: `sqlite://${dir}/terrain.db?mode=rwc`,
      TERRAIN_SITE_ROOT: join(root, 'target/site'),
      TERRAIN_LOG: process.env.TERRAIN_LOG ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('terrain did not start within 30 s')), 30_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/terrain listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`terrain exited with ${code} before listening`));
    });
  });
  return {
    url,
    dir,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Records when the wasm marks the page hydrated, relative to navigation start. */
export const hydrationProbe = () => {
  new MutationObserver((_, observer) => {
    if (document.body?.hasAttribute('data-hydrated')) {
      window.__hydratedAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
};

export async function waitForHydration(page) {
  await page.waitForSelector('body[data-hydrated]', { timeout: 30_000 });
}

export function shot(page, name) {
  return page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}
