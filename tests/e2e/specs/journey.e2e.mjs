// An RT head's first day with the real app: sign in against a real ronda-server on loopback,
// report with the server down (the report waits), bring the server back, sync (the report is
// sent and on the server), hear in Kabar that the lurah verified it on site, check in "nihil"
// after the patrol, audit a corner's safety offline and see its cell on the safety map after the
// sync, switch language. Phone-sized screenshots of each main screen are
// saved as test artifacts.
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { saveWindowShot } from '../screen.mjs';

const serverBin = process.env.RONDA_SERVER_BIN;
const areasFile = process.env.RONDA_E2E_AREAS;
const dataDir = process.env.RONDA_E2E_SERVER_DATA;
const shots = process.env.RONDA_E2E_ARTIFACTS;
const RT = '{"role":"ketua_rt","rt":"31.71.01.1001/RW 003/RT 007"}';
const LURAH = '{"role":"lurah","kelurahan":"31.71.01.1001"}';

const freePort = () =>
  new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const env = (port) => ({ ...process.env, RONDA_DATA_DIR: dataDir, RONDA_LISTEN: `127.0.0.1:${port}` });

const addUser = (name, role) =>
  execFileSync(serverBin, ['user', 'add', '--name', name, '--role', role], { env: env(0) })
    .toString()
    .trim()
    .split(/\s+/)
    .find((word) => /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(word));

async function startServer(port) {
  const child = spawn(serverBin, ['serve'], { env: env(port), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + 15000;
  while (!out.includes('listening on')) {
    if (Date.now() > deadline) throw new Error(`the server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function stopServer(child) {
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
}

const byId = (id) => $(`[data-testid="${id}"]`);

// A version 7 UUID, as the server requires of op ids: the time in ms, then random bits.
function uuid7() {
  const hex = Date.now().toString(16).padStart(12, '0') + randomUUID().replace(/-/g, '').slice(12);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = `${hex.slice(0, 12)}7${hex.slice(13, 16)}${variant}${hex.slice(17, 32)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function shot(name) {
  mkdirSync(shots, { recursive: true });
  await saveWindowShot(browser, path.join(shots, `${name}.png`));
}

async function syncStateOf(reportId) {
  const item = await $(`[data-testid="my-report-item"][data-report-id="${reportId}"]`);
  await item.waitForExist();
  return item.getAttribute('data-sync-state');
}

describe('an RT head reports with no signal, and the report arrives once there is one', () => {
  let server;
  let port;
  let lurahCode;
  let lurahToken;
  let received;
  let reportId;

  before(async () => {
    port = await freePort();
    const rtCode = addUser('Pak RT', RT);
    lurahCode = addUser('Ibu Lurah', LURAH);
    if (!rtCode || !lurahCode) throw new Error('user add printed no activation code');
    // Jakarta's real kelurahan, so the app can fetch its outline.
    execFileSync(serverBin, ['area', 'import', areasFile], { env: env(0) });
    server = await startServer(port);

    await byId('first-run').waitForDisplayed();
    await shot('01-first-run');
    await byId('firstrun-server').setValue(`http://127.0.0.1:${port}`);
    await byId('firstrun-code').setValue(rtCode);
    await byId('firstrun-activate').click();
    await byId('map-home').waitForDisplayed({ timeout: 30000 });
  });

  after(async () => {
    if (server && server.exitCode === null) await stopServer(server);
  });

  it('signs in and shows the map with the Lapor button', async () => {
    await expect(byId('lapor')).toBeDisplayed();
    await shot('02-map-home');
  });

  it('saves a report on the phone while the server is down; it waits for a signal', async () => {
    await stopServer(server);
    await byId('lapor').click();
    await byId('report-flow').waitForDisplayed();
    await byId('category-jalan-rusak').waitForDisplayed();
    await shot('03-report-what');
    await byId('category-jalan-rusak').click();

    // On a desktop the map is the normal way to say where.
    await byId('map-pick-map').waitForDisplayed();
    await shot('04-report-where');
    await byId('map-pick-confirm').click();

    await byId('description').waitForDisplayed();
    await byId('description').setValue('Jalan berlubang di depan musala, dalam 20 cm');
    await shot('05-report-proof');
    await byId('save').click();
    const saved = await byId('saved-confirmation');
    await saved.waitForDisplayed();
    reportId = await saved.getAttribute('data-report-id');
    expect(reportId).toMatch(/^[0-9a-f-]{36}$/);

    await shot('06-report-saved');
    // It is on the map at once, as a pin.
    await byId('saved-map').click();
    await $('[data-testid="home-map"][data-pins="1"]').waitForExist();

    await byId('tab-reports').click();
    await byId('my-reports').waitForDisplayed();
    await byId('sync-now').click();
    await $('[data-testid="sync-result"][data-ok="false"]').waitForDisplayed({ timeout: 30000 });
    expect(await syncStateOf(reportId)).toBe('waitingForSignal');
    await shot('07-my-reports-waiting');
  });

  it('sends the report once the server is back, and the server has it', async () => {
    server = await startServer(port);
    await byId('sync-now').click();
    await $('[data-testid="sync-result"][data-ok="true"]').waitForDisplayed({ timeout: 60000 });
    await browser.waitUntil(async () => (await syncStateOf(reportId)) === 'sent', {
      timeout: 30000,
      timeoutMsg: 'the report never showed as sent',
    });
    await shot('08-my-reports-sent');

    // The lurah of the kelurahan, on another device, receives it from the server.
    const base = `http://127.0.0.1:${port}/v1`;
    const signedIn = await fetch(`${base}/auth/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: lurahCode, device_name: 'HP Bu Lurah' }),
    }).then((r) => r.json());
    const pulled = await fetch(`${base}/sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${signedIn.access_token}`,
        'accept-encoding': 'identity',
      },
      body: '{}',
    }).then((r) => r.json());
    const ids = (pulled.reports ?? []).map((r) => r.report.id);
    expect(ids).toContain(reportId);
    received = pulled.reports.find((r) => r.report.id === reportId).report;
    expect(received.area).toBe('31.71.01.1001/RW 003/RT 007');
    lurahToken = signedIn.access_token;
  });

  it('shows the RT head’s kelurahan outline on the map once it has synced', async () => {
    await byId('tab-map').click();
    await $('[data-testid="home-map"][data-outline="on"]').waitForExist({ timeout: 30000 });
    await shot('09-map-with-outline');
    await byId('tab-reports').click();
    await byId('my-reports').waitForDisplayed();
  });

  it('shows the report with its timeline', async () => {
    await $(`[data-testid="my-report-item"][data-report-id="${reportId}"]`).click();
    await byId('report-detail').waitForDisplayed();
    await expect(byId('timeline')).toBeDisplayed();
    await shot('10-report-detail');
  });

  it('hears in Kabar that the lurah verified it on site, and shows the step', async () => {
    // The lurah, standing about 11 m from the report, verifies it from her phone.
    const verify = {
      id: uuid7(),
      hlc: { ms: Date.now(), n: 0 },
      kind: 'report.act',
      data: {
        report: reportId,
        as_role: 'lurah',
        action: 'verify',
        position: {
          lat: received.location.lat + 0.0001,
          lon: received.location.lon,
          accuracy_m: 8,
          source: 'gps',
          captured_at: new Date().toISOString(),
        },
      },
    };
    const pushed = await fetch(`http://127.0.0.1:${port}/v1/sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${lurahToken}`,
        'accept-encoding': 'identity',
      },
      body: JSON.stringify({ ops: [verify] }),
    }).then((r) => r.json());
    expect(pushed.results[0].s).toBe('accepted');

    await byId('back').click();
    await byId('my-reports').waitForDisplayed();
    await byId('sync-now').click();
    await $('[data-testid="sync-result"][data-ok="true"]').waitForDisplayed({ timeout: 60000 });
    await $('[data-testid="kabar-badge"]').waitForExist({ timeout: 30000 });
    await byId('tab-kabar').click();
    await byId('kabar').waitForDisplayed();
    const news = await $$('[data-testid="news-item"]');
    expect(news.length).toBe(1);
    expect(await news[0].getText()).toMatch(/Diverifikasi/);
    await shot('11-kabar');

    // The patrol found nothing else: one tap checks in "nihil", and it reaches the lurah.
    await byId('patrol-check-in').click();
    await byId('patrol-checked-in').waitForDisplayed();
    await shot('11-kabar-nihil');
    await byId('tab-reports').click();
    await byId('my-reports').waitForDisplayed();
    await byId('sync-now').click();
    await browser.waitUntil(
      async () => {
        const pulled = await fetch(`http://127.0.0.1:${port}/v1/sync`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${lurahToken}`,
            'accept-encoding': 'identity',
          },
          body: JSON.stringify({}),
        }).then((r) => r.json());
        return (pulled.patrols ?? []).some((c) => c.area === '31.71.01.1001/RW 003/RT 007');
      },
      { timeout: 60000, interval: 1000, timeoutMsg: 'the check-in did not reach the server' },
    );

    await byId('tab-reports').click();
    await $(`[data-testid="my-report-item"][data-report-id="${reportId}"]`).click();
    await byId('report-detail').waitForDisplayed();
    await expect(byId('detail-status')).toHaveText(/Diverifikasi/);
    const steps = await $$('[data-testid="step-entry"]');
    expect(steps.length).toBe(1);
    expect(await steps[0].$('[data-testid="step-where"]').getText()).toMatch(/^di lokasi/);
    await shot('12-report-verified');
    await byId('back').click();
  });

  it('makes safety audits with no signal, and after the sync sees their cell on the safety map', async () => {
    // The public map shows a cell only from three audits (fewer could point at who made them),
    // so the RT head audits the same corner on three walks, all while the server is down.
    await stopServer(server);
    await byId('tab-map').click();
    const ids = [];
    for (let walk = 0; walk < 3; walk++) {
      await byId('lapor').click();
      await byId('kind-audit').click();
      await byId('start-audit').click();
      await byId('audit').waitForDisplayed();
      const params = await $$('[data-testid="audit-param"]');
      expect(params.length).toBe(9);
      for (const param of params) {
        const levels = await param.$$('[data-testid="audit-level"]');
        await levels[1 + (walk % 2)].click();
      }
      if (walk === 0) await shot('13-audit');
      await byId('audit-next').click();
      await byId('map-pick-confirm').waitForDisplayed();
      await byId('map-pick-confirm').click();
      const saved = await byId('audit-saved');
      await saved.waitForDisplayed();
      ids.push(await saved.getAttribute('data-report-id'));
      await byId('audit-done').click();
      await byId('map-home').waitForDisplayed();
    }

    server = await startServer(port);
    await byId('tab-reports').click();
    await byId('my-reports').waitForDisplayed();
    await byId('sync-now').click();
    await $('[data-testid="sync-result"][data-ok="true"]').waitForDisplayed({ timeout: 60000 });
    for (const id of ids) {
      await browser.waitUntil(async () => (await syncStateOf(id)) === 'sent', {
        timeout: 30000,
        timeoutMsg: `audit ${id} never showed as sent`,
      });
    }

    // The sync that sent them brought back the public layer: one cell, for this time of day.
    await byId('tab-map').click();
    await byId('safety-toggle').click();
    await $('[data-testid="home-map"][data-safety-cells="1"]').waitForExist({ timeout: 30000 });
    await expect(byId('safety-counts')).toHaveAttribute('data-audits', '3');
    await shot('14-safety-map');
    await $('[data-testid="safety-hex"]').click();
    await byId('safety-cell').waitForDisplayed();
    await expect(byId('safety-cell-audits')).toHaveAttribute('data-audits', '3');
    expect((await $$('[data-testid="safety-parameter"]')).length).toBe(9);
    await shot('15-safety-cell');
    await byId('safety-cell-close').click();
    await byId('safety-toggle').click();
    await $('[data-testid="home-map"]:not([data-safety-cells])').waitForExist();
  });

  it('switches to English and back', async () => {
    await byId('tab-settings').click();
    await byId('settings').waitForDisplayed();
    await shot('16-settings-id');
    const tab = byId('tab-map');
    const before = await tab.getText();
    await byId('language-select').selectByAttribute('value', 'en');
    await browser.waitUntil(async () => (await tab.getText()) !== before, {
      timeoutMsg: 'the language did not change',
    });
    expect(await tab.getText()).toMatch(/map/i);
    await shot('17-settings-en');
    await byId('language-select').selectByAttribute('value', 'id');
    await browser.waitUntil(async () => (await tab.getText()) === before);
  });
});
