// Drives `weft demo`'s pages in chromium: node demo.js chat|tabs|reload|dashboard, with WEFT_BASE
// the demo's http://host:port. Prints what each page showed as JSON lines; the assertions are the
// Java side's (DemoBrowserTest), except waiting, which is done here with bounded timeouts.
'use strict';
const { emit, screenshot, watch, until, run } = require('./lib.js');

const base = process.env.WEFT_BASE;
const TRANSPORTS = ['websocket', 'eventsource', 'longpoll'];
const sleep = ms => new Promise(r => setTimeout(r, ms));

async function say(name, text) {
  const r = await fetch(base + '/chat/say', { method: 'POST', body: new URLSearchParams({ name, text }) });
  if (!r.ok) throw new Error('say ' + text + ': ' + r.status);
}

async function sayInPage(page, name, text) {
  await page.bringToFront();                         // a background tab's click waits ~2 s for a frame
  await page.fill('#name', name);
  await page.fill('#text', text);
  await page.click('#send button');
}

async function stats() { return (await fetch(base + '/stats')).json(); }

// Waits until the server holds n subscribers (tabs of one transport share one), so that nothing
// said next can slip past a long-poll that is not yet parked.
async function subscribers(n) {
  await until(n + ' subscribers', async () => {
    const s = (await stats()).subscribers;
    return s.longpoll + s.eventsource + s.websocket === n;
  });
}

async function shown(page) {
  return page.$$eval('#messages li.message', lis => lis.map(li => ({
    id: li.dataset.id, name: li.querySelector('.who').textContent, text: li.childNodes[1].textContent })));
}

async function showsAll(page, texts) {
  return until(texts.length + ' messages on ' + page.url(), async () => {
    const seen = (await shown(page)).map(m => m.text);
    return texts.every(t => seen.includes(t)) && seen;
  });
}

async function open(context, transport, tag) {
  const page = await context.newPage();
  watch(page, tag);
  await page.goto(base + '/?transport=' + transport);
  await page.waitForSelector('body[data-state="open"]', { timeout: 10000 });
  return page;
}

async function report(pages, transports) {
  for (let i = 0; i < pages.length; i++) {
    const messages = await shown(pages[i]);
    emit({ page: i, transport: transports[i], texts: messages.map(m => m.text), ids: messages.map(m => m.id),
      names: messages.map(m => m.name), tabs: await pages[i].textContent('#tabs') });
  }
}

// (a) one page per transport; each says a line in the form; every page shows every line.
async function chat(browser) {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const pages = [];
  for (const t of TRANSPORTS) pages.push(await open(context, t, t));
  await subscribers(3);
  const lines = TRANSPORTS.map(t => 'hello from ' + t);
  for (let i = 0; i < pages.length; i++) await sayInPage(pages[i], 'tab-' + TRANSPORTS[i], lines[i]);
  for (const p of pages) await showsAll(p, lines);
  // Any Nchan publisher may talk too (the page's footer says so): raw text, shown as such.
  const raw = await fetch(base + '/pub/chat', { method: 'POST', body: 'raw <b>text</b>', headers: { 'Content-Type': 'text/plain' } });
  if (raw.status !== 201) throw new Error('publishing raw text: ' + raw.status);
  lines.push('raw <b>text</b>');
  for (const p of pages) await showsAll(p, lines);
  await report(pages, TRANSPORTS);
  for (let i = 0; i < pages.length; i++) await screenshot(pages[i], 'demo-chat-' + TRANSPORTS[i]);
}

// (b) ten tabs of one browser, transports mixed; tabs of one transport share a SharedWorker.
async function tabs(browser) {
  const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
  const pages = [], transports = [];
  for (let i = 0; i < 10; i++) {
    transports.push(TRANSPORTS[i % 3]);
    pages.push(await open(context, transports[i], 'tab' + i));
  }
  await subscribers(3);
  const lines = pages.map((_, i) => 'line ' + i + ' from tab ' + i);
  for (let i = 0; i < pages.length; i++) await sayInPage(pages[i], 'tab' + i, lines[i]);
  for (const p of pages) await showsAll(p, lines);
  await sleep(300);                                  // a duplicate arriving late would show now
  await report(pages, transports);
  await screenshot(pages[9], 'demo-ten-tabs');
}

// (c) each page reloads (its document request held back a little) while lines are said, then
// leaves for about:blank and comes back while more are said; it must show each line once, in order.
async function reload(browser) {
  const pages = [];
  for (const t of TRANSPORTS) {
    const context = await browser.newContext({ viewport: { width: 900, height: 640 } });  // a worker each
    pages.push(await open(context, t, t));
  }
  await subscribers(3);
  const said = [];
  const sayAll = async lines => { for (const l of lines) { await say('bot', l); said.push(l); } };
  await sayAll(['before 1', 'before 2']);
  for (let i = 0; i < pages.length; i++) {
    const page = pages[i], t = TRANSPORTS[i];
    await showsAll(page, said);
    await page.route(u => u.pathname === '/', async r => { await sleep(700); await r.continue(); });
    const reloading = page.reload();
    await sleep(150);
    await sayAll([1, 2, 3].map(n => 'during ' + t + ' reload ' + n));
    await reloading;
    await page.unrouteAll();
    await page.waitForSelector('body[data-state="open"]', { timeout: 10000 });
    await showsAll(page, said);
    await page.goto('about:blank');
    await sayAll([1, 2].map(n => 'while ' + t + ' away ' + n));
    await page.goto(base + '/?transport=' + t);
    await page.waitForSelector('body[data-state="open"]', { timeout: 10000 });
    await showsAll(page, said);
  }
  await sleep(300);
  emit({ said });
  await report(pages, TRANSPORTS);
  await screenshot(pages[2], 'demo-after-reloads-longpoll');
}

// (d) the dashboard's numbers move when lines are said.
async function dashboard(browser) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const chatPage = await open(context, 'eventsource', 'chat');
  const page = await context.newPage();
  watch(page, 'dashboard');
  await page.goto(base + '/dashboard');
  await until('dashboard numbers', async () => Number(await page.evaluate(() => document.body.dataset.updates || 0)) >= 1);
  const before = { published: await page.textContent('#published'), subscribers: await page.textContent('#subscribers'),
    updates: Number(await page.evaluate(() => document.body.dataset.updates)) };
  await screenshot(page, 'demo-dashboard-before');
  for (let i = 0; i < 20; i++) await say('bot', 'dashboard line ' + i);
  const count = s => Number(/published (\d+)/.exec(s)[1]);
  await until('published to move', async () => count(await page.textContent('#published')) >= count(before.published) + 20);
  await showsAll(chatPage, ['dashboard line 19']);
  await until('one more tick', async () => Number(await page.evaluate(() => document.body.dataset.updates)) >= before.updates + 2);
  const after = { published: await page.textContent('#published'), subscribers: await page.textContent('#subscribers'),
    updates: Number(await page.evaluate(() => document.body.dataset.updates)), rate: await page.textContent('#rate'),
    byTransport: await page.textContent('#by-transport'), state: await page.textContent('#state') };
  emit({ before, after });
  await screenshot(page, 'demo-dashboard-after');
}

run({ chat, tabs, reload, dashboard }[process.argv[2]]);
