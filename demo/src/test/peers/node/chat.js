'use strict';
// An independent chat client (Node's ws) for the demo's NodeChatTest.
//
//   node chat.js <ws-url-of-/chat> <room> <users> <messages-per-user>
//
// Opens <users> connections (ws offers permessage-deflate, as by default), reads each welcome,
// and joins them to <room> one after another under the names u0, u1, ...: each joiner must get
// the member list of everyone so far, and everyone before it a "joined" with the new count.
// Then every user sends <messages-per-user> messages at once; every user must receive all of
// them, each sender's in the order sent, with the right sender, text and a numeric time. Then a
// malformed request gets "bad-json", the last user leaves (everyone else sees "left" with the
// count down by one) and the first one closes (the rest see "left" again). Prints one summary
// line (JSON) and exits 0 only when everything matched; prints "FAIL ..." and exits 1 otherwise
// (2 on its own time limit).

const WebSocket = require('ws');
const { version } = require('ws/package.json');

const [url, room, usersArg, messagesArg] = process.argv.slice(2);
const USERS = Number(usersArg);
const MESSAGES = Number(messagesArg);
const STEP_MS = 10000;

function fail(message) {
  console.log(`FAIL node ws@${version} chat: ${message}`);
  process.exit(1);
}

setTimeout(() => {
  console.log(`FAIL node ws@${version} chat: script time limit reached`);
  process.exit(2);
}, 60000).unref();

/** One connection: received messages queue up until a test step takes them. */
function open(name) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const user = { name, ws, queue: [], waiter: null, closed: null };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        fail(`${name} got a binary message`);
      }
      user.queue.push(JSON.parse(data.toString('utf8')));
      if (user.waiter) {
        const w = user.waiter;
        user.waiter = null;
        w();
      }
    });
    ws.on('close', (code) => { user.closed = code; });
    ws.on('error', (e) => reject(e));
    ws.on('open', () => resolve(user));
  });
}

/** The next message of a user, within STEP_MS. */
function next(user, what) {
  if (user.queue.length > 0) {
    return Promise.resolve(user.queue.shift());
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => fail(`${user.name} waited ${STEP_MS} ms for ${what}`), STEP_MS);
    user.waiter = () => {
      clearTimeout(timer);
      resolve(user.queue.shift());
    };
  });
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) {
    fail(`${what}: expected ${e}, got ${a}`);
  }
}

function send(user, message) {
  user.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
}

async function main() {
  if (!(USERS >= 3) || !(MESSAGES >= 1)) {
    fail('usage: node chat.js <url> <room> <users (3 or more)> <messages-per-user>');
  }
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const user = await open('u' + i);
    const welcome = await next(user, 'welcome');
    if (welcome.type !== 'welcome' || typeof welcome.compressed !== 'boolean') {
      fail(`${user.name}: expected a welcome, got ${JSON.stringify(welcome)}`);
    }
    user.compressed = welcome.compressed;
    user.extensions = user.ws.extensions;
    users.push(user);
  }

  // join one after another: the member list grows, everyone before hears of the newcomer
  for (let i = 0; i < USERS; i++) {
    const user = users[i];
    send(user, { type: 'join', room, name: user.name });
    const names = users.slice(0, i + 1).map((u) => u.name).sort();
    same(await next(user, 'members'), { type: 'members', room, members: names, count: i + 1 }, `${user.name} members`);
    for (let j = 0; j < i; j++) {
      same(await next(users[j], 'joined'), { type: 'joined', room, name: user.name, count: i + 1 },
        `${users[j].name} hears ${user.name} join`);
    }
  }

  // everyone talks at once; each sender's messages arrive everywhere in order
  for (let n = 0; n < MESSAGES; n++) {
    for (const user of users) {
      send(user, { type: 'message', room, text: `${user.name}#${n}` });
    }
  }
  const received = [];
  for (const user of users) {
    const nextFrom = new Map(users.map((u) => [u.name, 0]));
    for (let k = 0; k < USERS * MESSAGES; k++) {
      const m = await next(user, `message ${k}`);
      if (m.type !== 'message' || m.room !== room || !nextFrom.has(m.from) || typeof m.time !== 'number') {
        fail(`${user.name}: unexpected ${JSON.stringify(m)}`);
      }
      const expected = `${m.from}#${nextFrom.get(m.from)}`;
      if (m.text !== expected) {
        fail(`${user.name}: out of order from ${m.from}: expected ${expected}, got ${m.text}`);
      }
      nextFrom.set(m.from, nextFrom.get(m.from) + 1);
    }
    received.push(USERS * MESSAGES);
  }

  // bad input gets its error, and only its sender hears of it
  send(users[1], '{"type":"message",');
  const error = await next(users[1], 'error');
  if (error.type !== 'error' || error.code !== 'bad-json') {
    fail(`expected a bad-json error, got ${JSON.stringify(error)}`);
  }

  // the last one leaves, the first one closes: the others see the count go down
  const last = users[USERS - 1];
  send(last, { type: 'leave', room });
  same(await next(last, 'left'), { type: 'left', room, name: last.name, count: USERS - 1 }, `${last.name} leaves`);
  for (const user of users.slice(0, USERS - 1)) {
    same(await next(user, 'left'), { type: 'left', room, name: last.name, count: USERS - 1 }, `${user.name} sees ${last.name} leave`);
  }
  const first = users[0];
  first.ws.close(1000, 'bye');
  for (const user of users.slice(1, USERS - 1)) {
    same(await next(user, 'left'), { type: 'left', room, name: first.name, count: USERS - 2 }, `${user.name} sees ${first.name} go`);
  }
  for (const user of users) {
    if (user.queue.length > 0) {
      fail(`${user.name} has unexpected messages: ${JSON.stringify(user.queue)}`);
    }
  }
  for (const user of users.slice(1)) {
    user.ws.close(1000, 'done');
  }
  console.log(JSON.stringify({
    ok: true,
    peer: `node ws@${version}`,
    users: USERS,
    received,
    compressed: users.map((u) => u.compressed),
    extensions: users[0].extensions,
  }));
  process.exit(0);
}

main().catch((e) => fail(String(e && e.stack || e)));
