'use strict';
// Sends a message over the server's limit, again and again, and reports the close code each
// connection ended with (Tern's "every close we send must arrive" test, io.tern.transport.peers).
//
//   node oversize.js <ws-url> <tries> <bytes>
//
// Prints "OK closes=1009xN" and exits 0 when every connection saw 1009; prints
// "FAIL codes=..." and exits 1 otherwise (2 on its own time limit).

const WebSocket = require('ws');

const [url, triesArg, bytesArg] = process.argv.slice(2);
const tries = Number(triesArg);
const payload = Buffer.alloc(Number(bytesArg), 0x61);
const codes = [];

setTimeout(() => {
  console.log(`FAIL time limit reached; codes so far=${codes.join(',')}`);
  process.exit(2);
}, 60000).unref();

function once(i) {
  if (i === tries) {
    const bad = codes.filter((c) => c !== 1009);
    if (bad.length === 0) {
      console.log(`OK closes=1009x${codes.length}`);
      process.exit(0);
    }
    console.log(`FAIL codes=${codes.join(',')}`);
    process.exit(1);
  }
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => ws.send(payload));
  ws.on('error', () => {}); // a reset shows up as close code 1006 below
  ws.on('close', (code) => {
    codes.push(code);
    once(i + 1);
  });
}

once(0);
