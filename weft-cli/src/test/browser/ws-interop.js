// node's `ws` package as a WebSocket peer of Weft, for NodeWebSocketInteropTest.
//   node ws-interop.js client URL   echoes every size, text and binary, with and without
//                                   permessage-deflate, through the server at URL; prints a JSON
//                                   line per message and exits 0 when all came back equal
//   node ws-interop.js server PORT  an echo server (compression offered) on 127.0.0.1:PORT that
//                                   exits after a text message "bye"
const WebSocket = require('ws');

const SIZES = [0, 125, 126, 65535, 65536, 16 << 20];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

function payload(size, binary) {
  if (binary) {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
    return b;
  }
  return LETTERS.repeat(Math.ceil(size / LETTERS.length) + 1).slice(0, size);
}

function echoOnce(ws, data, binary) {
  return new Promise((resolve, reject) => {
    ws.once('message', (got, isBinary) => {
      const same = binary ? isBinary && Buffer.compare(Buffer.from(got), data) === 0
                          : !isBinary && got.toString('utf8') === data;
      resolve(same);
    });
    ws.once('error', reject);
    ws.send(data, { binary });
  });
}

async function client(url) {
  let failures = 0;
  for (const deflate of [false, true]) {
    const ws = new WebSocket(url, { perMessageDeflate: deflate, maxPayload: 64 << 20 });
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const negotiated = ws.extensions;
    for (const binary of [false, true]) {
      for (const size of SIZES) {
        const ok = await echoOnce(ws, payload(size, binary), binary);
        if (!ok) failures++;
        console.log(JSON.stringify({ deflate, negotiated, binary, size, ok }));
      }
    }
    const accented = 'héllo wörld, € and 𝄞 ';
    const ok = await echoOnce(ws, accented.repeat(1000), false);
    if (!ok) failures++;
    console.log(JSON.stringify({ deflate, binary: false, size: 'multibyte', ok }));
    await new Promise(resolve => { ws.once('close', (code) => { console.log(JSON.stringify({ closed: code })); resolve(); }); ws.close(1000, 'done'); });
  }
  process.exit(failures === 0 ? 0 : 1);
}

function server(port) {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port, perMessageDeflate: true, maxPayload: 64 << 20 }, () => {
    console.log(JSON.stringify({ listening: port }));
  });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.toString() === 'bye') {
        ws.close(1000, 'bye');
        wss.close();
        setTimeout(() => process.exit(0), 100);
        return;
      }
      ws.send(data, { binary: isBinary });
    });
  });
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'client') client(arg).catch((e) => { console.error(e); process.exit(2); });
else if (mode === 'server') server(Number(arg));
else { console.error('usage: ws-interop.js client URL | server PORT'); process.exit(2); }
