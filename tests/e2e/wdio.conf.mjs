// The real app binary, driven through tauri-driver (which starts WebKitWebDriver) in classic
// WebDriver mode. `scripts/e2e` builds everything and sets the environment read here.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { saveWindowShot } from './screen.mjs';

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the end-to-end tests through scripts/e2e`);
  return value;
};

let driver;

export const config = {
  runner: 'local',
  hostname: '127.0.0.1',
  port: Number(process.env.RONDA_E2E_DRIVER_PORT ?? 4444),
  specs: ['./specs/**/*.e2e.mjs'],
  maxInstances: 1,
  capabilities: [
    {
      'tauri:options': { application: need('RONDA_APP_BIN') },
      // tauri-driver speaks classic WebDriver only.
      'wdio:enforceWebDriverClassic': true,
    },
  ],
  logLevel: 'warn',
  waitforTimeout: 15000,
  connectionRetryTimeout: 60000,
  connectionRetryCount: 2,
  framework: 'mocha',
  reporters: ['spec'],
  mochaOpts: { ui: 'bdd', timeout: 240000 },
  beforeSession() {
    driver = spawn(
      need('RONDA_TAURI_DRIVER'),
      ['--port', String(config.port), '--native-driver', need('RONDA_NATIVE_DRIVER')],
      { stdio: [null, process.stdout, process.stderr] },
    );
    return new Promise((resolve) => setTimeout(resolve, 1500));
  },
  // A failure leaves what the app showed and its page behind, beside the screenshots.
  async afterHook(_test, _context, { error }) {
    if (error) await keepEvidence('hook');
  },
  async afterTest(test, _context, { error }) {
    if (error) await keepEvidence(test.title);
  },
  afterSession() {
    driver?.kill();
  },
};

async function keepEvidence(title) {
  const dir = process.env.RONDA_E2E_ARTIFACTS;
  if (!dir) return;
  const name = `failed-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
  mkdirSync(dir, { recursive: true });
  try {
    await saveWindowShot(browser, path.join(dir, `${name}.png`));
    writeFileSync(path.join(dir, `${name}.html`), await browser.getPageSource());
  } catch (e) {
    writeFileSync(path.join(dir, `${name}.txt`), String(e));
  }
}
