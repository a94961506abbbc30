// A subscriber to one channel of a Weft (or Nchan) server, over one transport, that resumes after
// the last message it saw whenever it reconnects. Runs in a page or in a worker; no dependencies.
//
//   const sub = new ChannelSubscriber('/sub/chat', 'websocket', lastId, event => ...);
//   sub.start();   ...   sub.stop();
//
// Events: {type: 'message', id, data, contentType}, {type: 'resume', status} when the server says a
// resume lost messages ('gap', 'other-epoch', ...), {type: 'state', state: 'connecting' | 'open' |
// 'reconnecting'}. Ids are Nchan's "seconds:tag"; compareIds orders them.
'use strict';

function compareIds(a, b) {
  const [as, at] = a.split(':').map(Number), [bs, bt] = b.split(':').map(Number);
  return as !== bs ? as - bs : at - bt;
}

class ChannelSubscriber {
  constructor(path, transport, lastId, emit) {
    this.path = path;
    this.transport = transport;
    this.lastId = lastId || null;
    this.emit = emit;
    this.stopped = false;
    this.retries = 0;
  }

  start() {
    this.state('connecting');
    if (this.transport === 'websocket') this.openWebSocket();
    else if (this.transport === 'eventsource') this.openEventSource();
    else this.poll();
  }

  stop() {
    this.stopped = true;
    if (this.ws) this.ws.close(1000);
    if (this.es) this.es.close();
    if (this.abort) this.abort.abort();
  }

  state(state) { this.emit({type: 'state', state}); }

  message(id, data, contentType) {
    this.lastId = id;
    this.retries = 0;
    this.emit({type: 'message', id, data, contentType: contentType || ''});
  }

  query(extra) {
    const params = new URLSearchParams(extra || {});
    if (this.lastId) params.set('last_event_id', this.lastId);
    const q = params.toString();
    return q ? '?' + q : '';
  }

  // After a failure: 1 s, then longer, with jitter, so that many clients do not return at once.
  later(fn) {
    if (this.stopped) return;
    this.state('reconnecting');
    const delay = Math.min(10000, 1000 * 2 ** Math.min(this.retries++, 3)) * (0.5 + Math.random());
    setTimeout(() => { if (!this.stopped) fn.call(this); }, delay);
  }

  openWebSocket() {
    const scheme = self.location.protocol === 'https:' ? 'wss:' : 'ws:';
    // weft_resume=1 asks for a frame saying what a resume lost; Nchan's own client does not ask.
    const ws = new WebSocket(scheme + '//' + self.location.host + this.path + this.query({weft_resume: '1'}), 'ws+meta.nchan');
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => this.state('open');
    ws.onmessage = e => {
      const text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data);
      if (text.startsWith('weft-resume: ')) {
        this.emit({type: 'resume', status: text.slice(13).trim()});
        return;
      }
      const meta = /^id: (.*)\n(content-type: (.*)\n)?\n/.exec(text);   // Nchan's ws+meta.nchan frame
      if (meta) this.message(meta[1], text.slice(meta[0].length), meta[3]);
    };
    ws.onclose = () => { this.ws = null; this.later(this.openWebSocket); };
  }

  openEventSource() {
    const es = new EventSource(this.path + this.query());
    this.es = es;
    es.onopen = () => this.state('open');
    es.onmessage = e => this.message(e.lastEventId, e.data, '');
    es.addEventListener('weft-resume', e => this.emit({type: 'resume', status: e.data}));
    es.onerror = () => {
      // The browser reconnects by itself (sending Last-Event-ID) unless the stream is closed for good.
      if (es.readyState === EventSource.CLOSED) { this.es = null; this.later(this.openEventSource); }
      else this.state('reconnecting');
    };
  }

  async poll() {
    while (!this.stopped) {
      try {
        this.abort = new AbortController();
        if (this.retries === 0) this.state('open');      // parked: as open as a long-poll gets
        const r = await fetch(this.path + this.query(), {cache: 'no-store', signal: this.abort.signal});
        if (r.status === 200) {
          const resume = r.headers.get('Weft-Resume');
          if (resume) this.emit({type: 'resume', status: resume});
          // Nchan's cursor: Last-Modified is the id's second, Etag its tag.
          const id = Date.parse(r.headers.get('Last-Modified')) / 1000 + ':' + (r.headers.get('Etag') || '0');
          this.message(id, await r.text(), r.headers.get('Content-Type'));
          continue;
        }
        if (r.status === 408) continue;               // nothing came in time: ask again
      } catch (e) {
        if (this.stopped) return;
      }
      await new Promise(done => this.later(done));
    }
  }
}

self.ChannelSubscriber = ChannelSubscriber;
self.compareIds = compareIds;
