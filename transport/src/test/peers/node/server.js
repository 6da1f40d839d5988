'use strict';
// Independent peer echo server (ws) for Tern's interoperability tests (io.tern.transport.peers).
//
//   node server.js <off|on|params> [tls-dir]
//
// tls-dir  serve wss:// with server-chain.pem and server-key.pem from that folder
//
// off    permessage-deflate disabled
// on     ws's defaults (perMessageDeflate: true)
// params answers with server_no_context_takeover, client_no_context_takeover,
//        server_max_window_bits=10 and client_max_window_bits=10, compressing every message
//
// Binds 127.0.0.1 on a port of the system's choosing and prints "PORT <n>". Serves exactly one
// connection: echoes every message as it came (text as text, binary as binary), pings the client
// once (with a payload it expects back in the pong), and when the client has closed prints one
// summary line ("SERVED ...") and exits: 0 when the client closed with 1000 and answered the ping,
// 1 otherwise, 2 on its own time limit.

const { WebSocketServer } = require('ws');
const { version } = require('ws/package.json');

const mode = process.argv[2];
const tlsDir = process.argv[3];
const PING = Buffer.from('ping from the node server \u2713', 'utf8');

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
  console.log(`FAIL node ws@${version} server: unknown mode ${mode}`);
  process.exit(1);
}

setTimeout(() => {
  console.log(`FAIL node ws@${version} server mode=${mode}: script time limit reached`);
  process.exit(2);
}, 60000).unref();

let wss;
if (tlsDir) {
  const fs = require('fs');
  const path = require('path');
  const https = require('https');
  const server = https.createServer({
    cert: fs.readFileSync(path.join(tlsDir, 'server-chain.pem')),
    key: fs.readFileSync(path.join(tlsDir, 'server-key.pem')),
  });
  wss = new WebSocketServer({ server, perMessageDeflate, maxPayload: 4 << 20 });
  server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
} else {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate, maxPayload: 4 << 20 });
  wss.on('listening', () => console.log(`PORT ${wss.address().port}`));
}
let offer = '';
let accepted = '';
let served = false;

wss.on('headers', (headers, req) => {
  offer = req.headers['sec-websocket-extensions'] || '';
  for (const h of headers) {
    const m = /^sec-websocket-extensions:\s*(.*)$/i.exec(h);
    if (m) accepted = m[1];
  }
});
wss.on('connection', (ws) => {
  if (served) {
    ws.close(1013, 'one connection only');
    return;
  }
  served = true;
  let count = 0;
  let bytes = 0;
  let pong = 'none';
  ws.on('message', (data, isBinary) => {
    count++;
    bytes += data.length;
    ws.send(data, { binary: isBinary });
  });
  ws.on('pong', (data) => {
    pong = data.equals(PING) ? 'ok' : `wrong:${data.toString('hex')}`;
  });
  ws.on('error', (err) => console.error(`error: ${err.message}`));
  ws.on('close', (code, reason) => {
    const ok = code === 1000 && pong === 'ok';
    console.log(`${ok ? 'SERVED' : 'FAIL'} node ws@${version} server mode=${mode} offer="${offer}" accepted="${accepted}" messages=${count} bytes=${bytes} pong=${pong} close=${code} reason="${reason.toString('utf8')}"`);
    wss.close();
    process.exit(ok ? 0 : 1);
  });
  ws.ping(PING);
});
