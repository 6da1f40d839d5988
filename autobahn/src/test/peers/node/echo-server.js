'use strict';
// An echo testee built on the ws package, independent of Tern: every text and binary message
// comes back as it came, permessage-deflate is accepted with every offer (all RFC 7692
// parameters), messages up to 16 MiB in any number of fragments (ws 8.21 and later refuse more
// than 16384 fragments per message by default, with 1008; cases 9.3.1 and 9.4.1 send 65536).
//
// usage: node echo-server.js PORT [SECONDS]
//   PORT     port on 127.0.0.1, 0 picks a free one
//   SECONDS  the server stops by itself after this long (default 3600)
// Prints "listening on ws://127.0.0.1:PORT/" once bound. Also stops when its stdin closes, so a
// test that starts it cannot leave it behind.
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] ?? 9001);
const seconds = Number(process.argv[3] ?? 3600);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !(seconds > 0)) {
  console.error('usage: node echo-server.js PORT [SECONDS]');
  process.exit(2);
}

const server = new WebSocketServer({
  host: '127.0.0.1',
  port,
  maxPayload: 16 * 1024 * 1024,
  maxFragments: 0,
  // Only the threshold is set: ws reads serverNoContextTakeover: false as "refuse offers that
  // request server_no_context_takeover" (400 on 13.2, 13.5, 13.6), not as "no preference".
  perMessageDeflate: { threshold: 0 },
});

server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', () => {});
});

server.on('listening', () => {
  console.log(`listening on ws://127.0.0.1:${server.address().port}/`);
});

function stop() {
  for (const ws of server.clients) ws.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
setTimeout(stop, seconds * 1000).unref();
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
