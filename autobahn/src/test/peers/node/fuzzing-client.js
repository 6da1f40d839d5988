'use strict';
// A testee client built on the ws package, independent of Tern, that follows the fuzzing server's
// protocol: /getCaseCount, then /runCase?case=N&agent=A for each case (echoing every message until
// the server closes), then /updateReports?agent=A. Offers permessage-deflate (ws's default offer:
// client_max_window_bits), accepts messages up to 16 MiB in any number of fragments (ws 8.21 and
// later refuse more than 16384 fragments per message by default, with 1008; cases 9.3.1 and 9.4.1
// send 65536).
//
// usage: node fuzzing-client.js URL [AGENT] [CASE-TIMEOUT-SECONDS]
//   URL    the fuzzing server, e.g. ws://127.0.0.1:9001
//   AGENT  the name the reports use (default "ws")
//   CASE-TIMEOUT-SECONDS  a case not closed by then is terminated (default 120)
// Exit status: 0 when every case closed in time, 3 when some did not, 1 on other failures.
const WebSocket = require('ws');

const base = (process.argv[2] ?? 'ws://127.0.0.1:9001').replace(/\/+$/, '');
const agent = process.argv[3] ?? 'ws';
const caseTimeout = Number(process.argv[4] ?? 120) * 1000;

function open(path, onMessage) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path, { perMessageDeflate: true, maxPayload: 16 * 1024 * 1024, maxFragments: 0 });
    let opened = false;
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ timedOut: true });
    }, caseTimeout);
    ws.on('open', () => { opened = true; });
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
    ws.on('error', (err) => { if (!opened) { clearTimeout(timer); reject(err); } });
    ws.on('close', (code) => { clearTimeout(timer); resolve({ timedOut: false, code }); });
  });
}

const echo = (ws, data, isBinary) => ws.send(data, { binary: isBinary });

async function main() {
  let count = null;
  await open('/getCaseCount', (ws, data) => { count = Number(data.toString()); });
  if (!Number.isInteger(count)) throw new Error(`no case count from ${base}/getCaseCount`);
  const query = encodeURIComponent(agent);
  let incomplete = 0;
  for (let n = 1; n <= count; n++) {
    const outcome = await open(`/runCase?case=${n}&agent=${query}`, echo).catch((err) => {
      console.error(`case ${n}: ${err.message}`);
      return { timedOut: true };
    });
    if (outcome.timedOut) {
      incomplete++;
      console.error(`case ${n}: no close within ${caseTimeout / 1000} s, terminated`);
    }
  }
  const update = await open(`/updateReports?agent=${query}`, () => {});
  if (update.timedOut) throw new Error('the fuzzing server did not close /updateReports');
  console.log(`ran ${count - incomplete} case(s) of ${count}; ${incomplete} incomplete`);
  process.exit(incomplete === 0 ? 0 : 3);
}

main().catch((err) => {
  console.error(`fuzzing-client.js: ${err.message}`);
  process.exit(1);
});
