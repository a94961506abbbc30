// Nchan's own JS client (NchanSubscriber.js, npm package `nchan`) in chromium against a pub/sub
// server: node nchan-client.js <transport>, with WEFT_SERVERS a JSON array of {name, base}.
// For each server it runs the same steps on a fresh channel and prints one JSON line per step:
// what the client's `message` callback received ({data, id, type}: meta.id and
// meta['content-type']), and for "info" the channel info. Publishing is done with curl, apart
// from the browser. The comparison is the Java side's (NchanClientTest).
'use strict';
const { emit, screenshot, watch, until, run } = require('./lib.js');
const { execFileSync } = require('child_process');
const fs = require('fs');

const transport = process.argv[2];
const servers = JSON.parse(process.env.WEFT_SERVERS);
const client = fs.readFileSync(require.resolve('nchan/NchanSubscriber.js'), 'utf8');
const sleep = ms => new Promise(r => setTimeout(r, ms));
const SETTLE = 400;           // after the expected messages came, how long a late repeat has to show

// The page lives on the server's own origin, so the subscriber's relative URL, EventSource and
// WebSocket need no CORS: it opens a URL the server answers at once with 200 (a publisher GET of
// a channel holding one message) and the client is added to it. Not a route's made-up answer: chromium
// then counts the page as public and blocks its WebSocket to 127.0.0.1 (Local Network Access).
const PAGE = `
'use strict';
window.got = [];
window.subscribers = [];
document.body.replaceChildren();                  // the publisher's info the page was opened on
const log = document.body.appendChild(document.createElement('pre'));
log.textContent = 'NchanSubscriber ' + (window.TITLE || '') + '\\n\\n';
window.subscribe = (path, opt) => {
  const sub = new NchanSubscriber(path, opt);
  sub.on('message', (data, meta) => {
    window.got.push({ data, id: meta.id === undefined ? null : meta.id,
      type: meta['content-type'] === undefined ? null : meta['content-type'] });
    log.textContent += (meta.id || '?') + '  ' + (meta['content-type'] || '-') + '  ' + JSON.stringify(data) + '\\n';
  });
  sub.on('error', (code, text) => window.got.push({ error: String(code && code.type || code), text: String(text || '') }));
  sub.start();
  window.subscribers.push(sub);
  return window.subscribers.length - 1;
};`;

function publish(base, channel, body, type) {
  execFileSync('curl', ['-sS', '--max-time', '5', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST',
    '-H', 'Content-Type: ' + type, '--data-binary', body, base + '/pub/' + channel]);
}

function info(base, channel) {
  const out = execFileSync('curl', ['-sS', '--max-time', '5', '-H', 'Accept: application/json', base + '/pub/' + channel]).toString();
  try { return JSON.parse(out); } catch (e) { return { unparsed: out }; }
}

const active = i => (i && (i.subscribers !== undefined ? i.subscribers : i['active subscribers'])) || 0;

async function steps(browser, server) {
  const channel = 'c' + transport + Date.now().toString(36);
  const path = '/sub/' + channel;
  const context = await browser.newContext({ viewport: { width: 800, height: 500 } });
  const page = await context.newPage();
  watch(page, server.name);
  // chromium's Accept would get the info as XML, shown by its XML viewer, where no script can be
  // added; the request goes to the server still, asking for text.
  await page.route(u => u.pathname === '/pub/page_host',
    r => r.continue({ headers: { ...r.request().headers(), accept: 'text/plain' } }));
  const load = async () => {
    publish(server.base, 'page_host', 'x', 'text/plain');
    await page.goto(server.base + '/pub/page_host');   // text/plain: see the route below
    await page.addScriptTag({ content: 'window.TITLE = ' + JSON.stringify(server.name + ' ' + transport + ': id, content-type, data') });
    await page.addScriptTag({ content: client });
    await page.addScriptTag({ content: PAGE });
  };
  await load();
  let seen = 0;
  // Waits for n messages (or 5 s), then a moment for repeats; prints what came in this step.
  const step = async (name, n, extra) => {
    await until(name, async () => (await page.evaluate(() => window.got.length)) >= seen + n, 5000).catch(() => {});
    await sleep(SETTLE);
    const got = await page.evaluate(() => window.got);
    emit({ server: server.name, transport, step: name, got: got.slice(seen), ...extra });
    seen = got.length;
  };
  const subscribed = async n => until(n + ' subscriber(s) on ' + channel, async () => active(info(server.base, channel)) === n, 5000)
      .catch(() => emit({ server: server.name, transport, note: 'subscriber count never reached ' + n, info: info(server.base, channel) }));
  const pub = (body, type) => publish(server.base, channel, body, type);

  // 1. receive: four messages with different bodies and content types.
  await page.evaluate(([p, t]) => window.subscribe(p, { subscriber: t, reconnect: 'session' }), [path, transport]);
  await subscribed(1);
  pub('one', 'text/plain');
  pub('{"n":2}', 'application/json');
  pub('line 1\nline 2', 'text/plain; charset=utf-8');
  pub('héllo ✓', 'text/html');
  await step('receive', 4);
  // 2. the channel's info, as the publisher's GET gives it (JSON).
  emit({ server: server.name, transport, step: 'info', info: info(server.base, channel) });
  // 3. stop the subscriber, publish, start the same subscriber again.
  await page.evaluate(() => window.subscribers[0].stop());
  await subscribed(0);
  pub('five', 'text/plain');
  pub('six', 'text/plain');
  await page.evaluate(() => window.subscribers[0].start());
  await subscribed(1);
  pub('seven', 'text/plain');
  await step('restart', 3);
  // 4. stop it, publish, and resume in a new subscriber from the saved id (opt.id).
  const saved = await page.evaluate(() => { const s = window.subscribers[0]; s.stop(); return s.lastMessageId; });
  await subscribed(0);
  pub('eight', 'text/plain');
  await page.evaluate(([p, t, id]) => window.subscribe(p, { subscriber: t, id }), [path, transport, saved]);
  await subscribed(1);
  pub('nine', 'text/plain');
  await step('resume-id', 2, { from: saved });
  // 5. stop that one, publish, reload the page: a subscriber with reconnect: 'session' resumes from
  //    the id the first one stored in sessionStorage (it last saw "seven").
  await page.evaluate(() => window.subscribers[1].stop());
  await subscribed(0);
  pub('ten', 'text/plain');
  await load();                                      // sessionStorage is the tab's: it survives
  seen = 0;
  await page.evaluate(([p, t]) => window.subscribe(p, { subscriber: t, reconnect: 'session' }), [path, transport]);
  await subscribed(1);
  pub('eleven', 'text/plain');
  await step('resume-session', 4);
  await screenshot(page, 'nchan-client-' + server.name + '-' + transport);
  await page.evaluate(() => window.subscribers[0].stop());
  await context.close();
}

run(async browser => { for (const s of servers) await steps(browser, s); });
