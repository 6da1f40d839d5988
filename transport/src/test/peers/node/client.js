'use strict';
// Independent peer client (ws) for Tern's interoperability tests (io.tern.transport.peers).
//
//   node client.js <ws-url> <off|on|params> [tls-dir]
//
// tls-dir  for a wss:// URL: the folder with the test CA (ca.pem) the server's certificate must
//          chain to (host name checked as usual)
//
// off    no permessage-deflate offer
// on     ws's default offer (perMessageDeflate: true)
// params an offer that asks for server_no_context_takeover, server_max_window_bits=10,
//        client_no_context_takeover and client_max_window_bits=10, compressing every message
//
// Sends, one at a time, text (multi-byte UTF-8) of 0, 1, 125, 126, 65536 and 1 MiB bytes,
// compressible binary of 64 KiB and 1 MiB, then incompressible binary of the six sizes (the
// 1 MiB one, which deflate expands, last), and checks each echo byte for byte; then a ping
// (expects the same pong), then a close with 1000 and a reason. Prints one summary line and
// exits 0 only when everything matched; prints "FAIL ..." and exits 1 otherwise (2 on its own
// time limit).

const WebSocket = require('ws');
const { version } = require('ws/package.json');

const [url, mode, tlsDir] = process.argv.slice(2);
const SIZES = [0, 1, 125, 126, 65536, 1 << 20];
const PATTERN = 'Tern \u2713 h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e\u30c6\u30ad\u30b9\u30c8 \ud834\udd1e\ud83c\udf89 \u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac ';
const PING = Buffer.from('ping from node \u2713', 'utf8');
const REASON = 'bye from node \u2713';
const STEP_MS = 15000;

function fail(message) {
  console.log(`FAIL node ws@${version} client mode=${mode}: ${message}`);
  process.exit(1);
}

setTimeout(() => {
  console.log(`FAIL node ws@${version} client mode=${mode}: script time limit reached`);
  process.exit(2);
}, 60000).unref();

/** Exactly n UTF-8 bytes of mixed 1- to 4-byte characters (ASCII padding at the end). */
function text(n) {
  const parts = [];
  let bytes = 0;
  for (let k = 0; bytes < n; k++) {
    let stop = false;
    for (const ch of `[${k}] ${PATTERN}`) {
      const b = Buffer.byteLength(ch, 'utf8');
      if (bytes + b > n) {
        stop = true;
        break;
      }
      parts.push(ch);
      bytes += b;
    }
    if (stop) break;
  }
  while (bytes < n) {
    parts.push('x');
    bytes++;
  }
  return parts.join('');
}

/** n pseudo-random bytes (xorshift32): incompressible. */
function noise(n) {
  const out = Buffer.alloc(n);
  let x = (n ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** n bytes of a slowly changing pattern: compressible. */
function pattern(n) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = (i * 7 + (i >>> 10)) & 0xff;
  return out;
}

function messages() {
  const list = [];
  for (const n of SIZES) list.push({ name: `text-${n}`, binary: false, data: text(n) });
  for (const n of [65536, 1 << 20]) list.push({ name: `pattern-${n}`, binary: true, data: pattern(n) });
  for (const n of SIZES) list.push({ name: `binary-${n}`, binary: true, data: noise(n) });
  return list;
}

let perMessageDeflate = false;
if (mode === 'on') {
  perMessageDeflate = true;
} else if (mode === 'params') {
  perMessageDeflate = {
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    serverMaxWindowBits: 10,
    clientMaxWindowBits: 10,
    threshold: 0,
  };
} else if (mode !== 'off') {
  fail(`unknown mode ${mode}`);
}

const events = [];
let wake = null;
function push(event) {
  events.push(event);
  if (wake) {
    const w = wake;
    wake = null;
    w();
  }
}

function next(what) {
  return new Promise((resolve, reject) => {
    const take = () => {
      clearTimeout(timer);
      resolve(events.shift());
    };
    const timer = setTimeout(() => {
      wake = null;
      reject(new Error(`timed out waiting for ${what}`));
    }, STEP_MS);
    if (events.length > 0) take();
    else wake = take;
  });
}

let extensions = '';
const tlsOptions = tlsDir ? { ca: require('fs').readFileSync(require('path').join(tlsDir, 'ca.pem')) } : {};
const ws = new WebSocket(url, { perMessageDeflate, maxPayload: 4 << 20, handshakeTimeout: 10000, ...tlsOptions });
ws.on('upgrade', (res) => {
  extensions = res.headers['sec-websocket-extensions'] || '';
});
ws.on('message', (data, isBinary) => push({ type: 'message', data, isBinary }));
ws.on('pong', (data) => push({ type: 'pong', data }));
ws.on('close', (code, reason) => push({ type: 'close', code, reason: reason.toString('utf8') }));
ws.on('error', (err) => push({ type: 'error', err }));
ws.on('open', () => push({ type: 'open' }));

async function run() {
  const opened = await next('open');
  if (opened.type !== 'open') fail(`expected open, got ${describe(opened)}`);
  if (mode === 'off' && extensions !== '') fail(`no offer was made but the server answered "${extensions}"`);
  if (mode !== 'off' && !extensions.startsWith('permessage-deflate')) fail(`offer not accepted: "${extensions}"`);

  let count = 0;
  let bytes = 0;
  for (const m of messages()) {
    const expected = m.binary ? m.data : Buffer.from(m.data, 'utf8');
    ws.send(m.data, { binary: m.binary });
    const echo = await next(`echo of ${m.name}`);
    if (echo.type !== 'message') fail(`${m.name}: expected its echo, got ${describe(echo)}`);
    if (echo.isBinary !== m.binary) fail(`${m.name}: echo came back as ${echo.isBinary ? 'binary' : 'text'}`);
    if (!echo.data.equals(expected)) {
      fail(`${m.name}: echo differs (${echo.data.length} bytes back for ${expected.length}, first difference at ${firstDifference(echo.data, expected)})`);
    }
    count++;
    bytes += expected.length;
  }

  ws.ping(PING);
  const pong = await next('pong');
  if (pong.type !== 'pong') fail(`expected pong, got ${describe(pong)}`);
  if (!pong.data.equals(PING)) fail(`pong payload "${pong.data.toString('hex')}" is not the ping's`);

  const closeStart = Date.now();
  ws.close(1000, REASON);
  const closed = await next('close');
  const closeMs = Date.now() - closeStart;
  if (closed.type !== 'close') fail(`expected close, got ${describe(closed)}`);
  if (closed.code !== 1000) fail(`server closed with ${closed.code} "${closed.reason}", expected 1000`);
  if (closeMs > 3000) fail(`closing handshake took ${closeMs} ms (server did not close TCP promptly)`);

  console.log(`OK node ws@${version} client mode=${mode} extensions="${extensions}" messages=${count} bytes=${bytes} pong=ok close=${closed.code} closeMs=${closeMs}`);
  process.exit(0);
}

function describe(event) {
  if (event.type === 'message') return `${event.isBinary ? 'binary' : 'text'} message of ${event.data.length} bytes`;
  if (event.type === 'close') return `close ${event.code} "${event.reason}"`;
  if (event.type === 'error') return `error ${event.err && event.err.message}`;
  return event.type;
}

function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

run().catch((err) => fail(err.message));
