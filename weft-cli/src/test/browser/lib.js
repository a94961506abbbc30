// Shared by the browser test scripts: launches Debian's chromium through playwright-core (never a
// downloaded browser), prints results as JSON lines for the Java side (dev.weft.cli.browser.Browser)
// and saves screenshots where it says. Settings come from the environment the Java side sets.
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const shots = process.env.WEFT_SHOTS || 'target/browser-shots';

// One JSON object per line on stdout: the Java side reads nothing else from stdout.
function emit(obj) { process.stdout.write(JSON.stringify(obj) + '\n'); }

async function launch() {
  const args = ['--disable-dev-shm-usage', '--no-first-run', '--disable-gpu'];
  // Chromium refuses to run as root with its sandbox on; the tests load only pages they serve.
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: process.env.WEFT_CHROMIUM || '/usr/bin/chromium', headless: true, args });
}

async function screenshot(page, name) {
  const file = path.join(shots, name + '.png');
  await page.screenshot({ path: file });
  emit({ screenshot: file });
}

// Passes on the page's console errors and uncaught exceptions, tagged, so a failure says why.
function watch(page, tag) {
  page.on('pageerror', e => emit({ pageerror: tag, message: e.message }));
  page.on('console', m => { if (m.type() === 'error' && !/favicon/.test(m.location().url)) emit({ console: tag, message: m.text() }); });
}

async function until(what, fn, ms = 10000) {
  const due = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > due) throw new Error('timed out waiting for ' + what);
    await new Promise(r => setTimeout(r, 50));
  }
}

// Runs main(browser), closing the browser whatever happens; a failure is a JSON line and exit 1.
function run(main) {
  (async () => {
    const browser = await launch();
    try {
      await main(browser);
    } finally {
      await browser.close();
    }
  })().then(() => process.exit(0), e => { emit({ error: String(e && e.stack || e) }); process.exit(1); });
}

module.exports = { emit, launch, screenshot, watch, until, run };
