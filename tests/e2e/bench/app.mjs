// The app's benchmarks, on the real binary under Xvfb through tauri-driver and WebKitWebDriver:
// cold start to an interactive map, idle memory, and frame times while panning and zooming,
// each with an empty store (the baseline) and with 5,000 reports in view. `scripts/bench-app`
// builds everything and sets the environment read here; it prints one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const need = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run scripts/bench-app`);
  return value;
};
const APP = need('RONDA_APP_BIN');
const CLI = need('RONDA_CLI_BIN');
const WORK = need('RONDA_BENCH_WORK');
const PORT = Number(need('RONDA_E2E_DRIVER_PORT'));
const STARTS = Number(process.env.RONDA_BENCH_STARTS ?? 5);
const PINS = 5000;
const IDLE_SECONDS = 10;

/** 5,000 reports scattered over the map's opening view (Monas at zoom 12 on a 360 px screen). */
function pinsFile() {
  const categories = ['banjir', 'fasilitas-umum-rusak', 'jalan-rusak', 'parkir-liar', 'pju-mati',
    'pkl-trotoar', 'pohon-tumbang', 'saluran-tersumbat', 'sampah-menumpuk'];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = [];
  for (let i = 0; i < PINS; i++) {
    lines.push(JSON.stringify({
      category: categories[i % categories.length],
      lat: -6.1754 + (random() - 0.5) * 0.12,
      lon: 106.8272 + (random() - 0.5) * 0.06,
      accuracy_m: 8,
      source: 'gps',
      description: `Laporan uji ${i + 1}`,
    }));
  }
  const file = path.join(WORK, 'pins.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** A device folder: the app opens on the map (used without an account), its store holding
 *  `reports` from the file, if any. */
function device(name, reports) {
  const root = path.join(WORK, name);
  const data = path.join(root, 'data', 'id.ronda.app');
  const config = path.join(root, 'config', 'id.ronda.app');
  mkdirSync(data, { recursive: true });
  mkdirSync(config, { recursive: true });
  writeFileSync(path.join(config, 'settings.json'), JSON.stringify({ lang: 'id', largeText: false, local: true }));
  if (reports) execFileSync(CLI, ['--db', path.join(data, 'ronda.db'), 'import', reports], { stdio: 'ignore' });
  return { XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'config') };
}

function startDriver(env) {
  const driver = spawn(need('RONDA_TAURI_DRIVER'), ['--port', String(PORT), '--native-driver', need('RONDA_NATIVE_DRIVER')], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  return driver;
}

async function session() {
  return remote({
    hostname: '127.0.0.1',
    port: PORT,
    logLevel: 'error',
    connectionRetryCount: 20,
    connectionRetryTimeout: 30000,
    capabilities: { 'tauri:options': { application: APP }, 'wdio:enforceWebDriverClassic': true },
  });
}

/** From asking for the app to the map showing every pin in view (the first load drawn). */
async function coldStart() {
  const started = performance.now();
  const browser = await session();
  const map = await browser.$('[data-testid="home-map"][data-pins]');
  await map.waitForExist({ timeout: 60000, interval: 10 });
  const ms = performance.now() - started;
  const pins = Number(await map.getAttribute('data-pins'));
  // Where the time went inside the page, in ms from the page's start: the document loaded, the
  // first pins asked for, answered, and drawn (marks set by the map screen).
  const page = await browser.execute(() => {
    const at = {};
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav) at.domContentLoaded = nav.domContentLoadedEventEnd;
    for (const m of performance.getEntriesByType('mark')) {
      if (m.name.startsWith('ronda:') && !(m.name.slice(6) in at)) at[m.name.slice(6)] = m.startTime;
    }
    return at;
  });
  return { browser, ms, pins, page };
}

/** The app's processes: the binary and every process below it (WebKit's web and network
 *  processes). */
function appProcesses() {
  const parents = new Map();
  const commands = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(pid), Number(fields[1]));
      commands.set(Number(pid), readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]);
    } catch {
      // gone meanwhile
    }
  }
  const roots = [...commands].filter(([, cmd]) => cmd === APP).map(([pid]) => pid);
  const all = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (all.has(parent) && !all.has(pid)) {
        all.add(pid);
        grew = true;
      }
    }
  }
  return [...all];
}

/** The physical pages a process has resident, by page frame number, from `/proc/<pid>/pagemap`
 *  (only ranges that smaps says hold resident pages are read). Frame numbers read as 0 without
 *  CAP_SYS_ADMIN: then this returns null. */
function residentFrames(pid) {
  const frames = new Set();
  const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const fd = openSync(`/proc/${pid}/pagemap`, 'r');
  try {
    let range = null;
    for (const line of smaps.split('\n')) {
      const start = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
      if (start) {
        range = [BigInt(`0x${start[1]}`) / 4096n, BigInt(`0x${start[2]}`) / 4096n];
        continue;
      }
      const rss = /^Rss:\s+(\d+)/.exec(line);
      if (!range || !rss || rss[1] === '0') continue;
      const pages = Number(range[1] - range[0]);
      const buffer = Buffer.alloc(pages * 8);
      readSync(fd, buffer, 0, buffer.length, Number(range[0] * 8n));
      for (let i = 0; i < pages; i++) {
        const entry = buffer.readBigUInt64LE(i * 8);
        if (entry >> 63n) frames.add(Number(entry & ((1n << 55n) - 1n)));
      }
      range = null;
    }
  } finally {
    closeSync(fd);
  }
  return frames.has(0) && frames.size === 1 ? null : frames;
}

/** Memory of the app and its WebKit processes, in MB, four ways:
 *  - rss: each process's resident set, summed (what the bar names; pages of a library that
 *    all three processes map are counted three times);
 *  - pss: each shared page divided among the processes that map it, summed;
 *  - unique: every physical page the app's processes hold, counted once;
 *  - anonymous: their own memory (heaps, JavaScript, buffers), not pages of files on disk. */
function memory() {
  const mb = (kb) => +(kb / 1024).toFixed(1);
  const pids = appProcesses();
  const sum = { rss: 0, pss: 0, anonymous: 0 };
  let frames = new Set();
  for (const pid of pids) {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    sum.rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    sum.pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    sum.anonymous += Number(/^Anonymous:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    const own = frames && residentFrames(pid);
    frames = own ? new Set([...frames, ...own]) : null;
  }
  return {
    processes: pids.length,
    rssMb: mb(sum.rss),
    pssMb: mb(sum.pss),
    uniqueMb: frames ? mb(frames.size * 4) : null,
    anonymousMb: mb(sum.anonymous),
  };
}

const pointer = (actions) => [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }];
/** WebDriver's reference to an element, as an action's origin: positions are then relative to
 *  its centre. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** Three drags across the map, two zooms in and two more drags, as a thumb would, with every
 *  frame's duration recorded in the page. */
async function frameTimes(browser) {
  const map = await browser.$('[data-testid="home-map"]');
  const origin = { [ELEMENT_KEY]: map.elementId };
  await browser.execute(() => {
    const w = window;
    w.__frames = [];
    w.__recording = true;
    let last = performance.now();
    const tick = (t) => {
      w.__frames.push(t - last);
      last = t;
      if (w.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const drag = (dx, dy) => {
    const moves = [];
    for (let i = 1; i <= 15; i++) {
      moves.push({ type: 'pointerMove', duration: 30, x: Math.round((dx * i) / 15), y: Math.round((dy * i) / 15), origin });
    }
    return pointer([
      { type: 'pointerMove', duration: 0, x: 0, y: 0, origin },
      { type: 'pointerDown', button: 0 },
      ...moves,
      { type: 'pointerUp', button: 0 },
    ]);
  };
  // Zoom with the map's + button: a double-click on a map full of pins lands on a pin and
  // opens its report (a drag does not: Leaflet does not count a moved press as a tap).
  const zoomIn = await browser.$('.leaflet-control-zoom-in');
  for (const [dx, dy] of [[80, 0], [-40, 100], [-40, -100]]) {
    await browser.performActions(drag(dx, dy));
    await browser.pause(400);
  }
  for (let i = 0; i < 2; i++) {
    await zoomIn.click();
    await browser.pause(700);
  }
  // And pan again at the closer zoom, then let the last redraw finish.
  for (const [dx, dy] of [[-80, 0], [40, -100]]) {
    await browser.performActions(drag(dx, dy));
    await browser.pause(400);
  }
  await browser.releaseActions();
  await browser.pause(500);
  const frames = await browser.execute(() => {
    const w = window;
    w.__recording = false;
    return w.__frames.slice(1);
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (v) => +v.toFixed(1);
  return {
    frames: frames.length,
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted.at(-1)),
    over50Ms: frames.filter((f) => f > 50).length,
    pinsAfter: Number(await map.getAttribute('data-pins')),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(name, reports, extraEnv = {}) {
  const env = { ...device(name, reports), ...extraEnv };
  const driver = startDriver(env);
  try {
    const starts = [];
    const pages = [];
    let result = {};
    // The first start creates nothing (the store exists) but warms the disk cache: not counted.
    for (let i = 0; i <= STARTS; i++) {
      const { browser, ms, pins, page } = await coldStart();
      if (i > 0) {
        starts.push(ms);
        pages.push(page);
      }
      if (i === STARTS) {
        await sleep(IDLE_SECONDS * 1000);
        const idle = memory();
        // A gesture run that fails is reported, and the start and memory figures still stand.
        const frames = await frameTimes(browser).catch((e) => ({ failed: String(e.message ?? e).split('\n')[0] }));
        result = { pins, idle, frames };
      }
      await browser.deleteSession();
      await sleep(500);
    }
    const round = (v) => Math.round(v);
    const inPage = Object.fromEntries(
      Object.keys(pages[0] ?? {}).map((k) => [k, round(median(pages.map((p) => p[k] ?? NaN)))]),
    );
    return {
      ...result,
      coldStartMs: { median: round(median(starts)), max: round(Math.max(...starts)), runs: starts.map(round) },
      inPageMedianMs: inPage,
    };
  } finally {
    driver.kill();
    await sleep(300);
  }
}

const empty = await scenario('empty', null);
// The baseline for the app's choice of WebKit renderer (src-tauri/src/webview_env.rs): the same
// empty store with WebKit's DMA-BUF renderer, as a user who opts back in gets it.
const emptyDmabuf = await scenario('empty-dmabuf', null, { WEBKIT_DISABLE_DMABUF_RENDERER: '0' });
const full = await scenario('pins', pinsFile());
if (full.pins !== PINS) throw new Error(`expected ${PINS} pins in view, the map drew ${full.pins}`);
console.log(JSON.stringify({ empty, emptyDmabufRenderer: emptyDmabuf, pins5000: full }, null, 2));
