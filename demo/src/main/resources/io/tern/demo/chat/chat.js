// The Tern chat page: plain JavaScript, no build step, no libraries. It speaks the JSON protocol
// of /chat (see the README's "The chat demo"), keeps one room at a time, and reconnects by itself
// with exponential backoff and jitter when the connection drops (for example when the server
// restarts), joining its room again under the same name.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const BACKOFF_MIN_MS = 500;     // first retry after 0.25-0.5 s
  const BACKOFF_MAX_MS = 10000;   // never wait more than 10 s
  const STABLE_MS = 5000;         // a connection that lived this long resets the backoff
  const MAX_LOG = 500;            // lines kept in the log

  const state = {
    socket: null,     // the current WebSocket, or null while waiting to retry
    openedAt: 0,
    boundName: null,  // the name this connection joined with: the server fixes it
    name: null,       // the name and room the user asked for
    room: null,
    members: new Set(),
    attempt: 0,
    retry: null,
    welcome: null,
  };

  function isOpen() {
    return state.socket !== null && state.socket.readyState === WebSocket.OPEN;
  }

  function setStatus(name, detail) {
    const status = $('status');
    status.dataset.state = name;
    status.textContent = name;
    $('status-detail').textContent = detail || '';
  }

  function connect() {
    clearTimeout(state.retry);
    state.retry = null;
    setStatus(state.attempt === 0 ? 'connecting' : 'reconnecting', 'attempt ' + (state.attempt + 1));
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(scheme + location.host + '/chat');
    state.socket = ws;
    state.boundName = null;
    state.welcome = null;
    ws.onopen = () => {
      state.openedAt = Date.now();
      setStatus('connected', ws.extensions ? 'extensions: ' + ws.extensions : 'no compression');
      if (state.room) {
        send({ type: 'join', room: state.room, name: state.name });
      }
      updateControls();
    };
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        note('error', 'unreadable message from the server');
        return;
      }
      handle(message);
    };
    ws.onclose = (event) => {
      if (state.socket !== ws) {
        return; // replaced on purpose (a new name needs a new connection)
      }
      state.socket = null;
      state.boundName = null;
      setMembers([]);
      if (state.openedAt && Date.now() - state.openedAt >= STABLE_MS) {
        state.attempt = 0;
      }
      state.openedAt = 0;
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, state.attempt));
      const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
      state.attempt++;
      const why = event.code + (event.reason ? ' ' + event.reason : '');
      setStatus('reconnecting', 'closed (' + why + '); next try in ' + (delay / 1000).toFixed(1) + ' s');
      note('info', 'connection closed (' + why + '); reconnecting');
      state.retry = setTimeout(connect, delay);
      updateControls();
    };
  }

  function replaceConnection() {
    const old = state.socket;
    state.socket = null;
    if (old) {
      old.close(1000, 'new name');
    }
    state.attempt = 0;
    connect();
  }

  function send(message) {
    if (!isOpen()) {
      note('error', 'not connected: wait for the connection to come back');
      return;
    }
    if (message.type === 'join') {
      state.boundName = message.name;
    }
    state.socket.send(JSON.stringify(message));
  }

  function handle(m) {
    switch (m.type) {
      case 'welcome':
        state.welcome = m;
        $('status').dataset.compressed = String(m.compressed);
        $('text').maxLength = m.limits.maxTextChars;
        break;
      case 'members':
        if (m.room === state.room) {
          setMembers(m.members);
          note('info', 'you are in ' + m.room + ' (' + m.count + (m.count === 1 ? ' member)' : ' members)'));
        }
        break;
      case 'joined':
        if (m.room === state.room) {
          state.members.add(m.name);
          renderMembers();
          note('joined', m.name + ' joined (' + m.count + ' in the room)', m.name);
        }
        break;
      case 'left':
        if (m.name === state.boundName) {
          note('left', 'you left ' + m.room, m.name);
        } else if (m.room === state.room) {
          state.members.delete(m.name);
          renderMembers();
          note('left', m.name + ' left (' + m.count + ' in the room)', m.name);
        }
        break;
      case 'message':
        if (m.room === state.room) {
          line('message', m.time, m.from, m.text, m.from);
        }
        break;
      case 'direct':
        line('direct', m.time, m.from + ' \u2192 ' + m.to, m.text, m.from, m.to);
        break;
      case 'error': {
        const li = note('error', m.code + ': ' + m.reason);
        li.dataset.code = m.code;
        break;
      }
      default:
        break; // a newer server may send more: ignore what this page does not know
    }
  }

  function append(li) {
    const log = $('log');
    log.appendChild(li);
    while (log.childElementCount > MAX_LOG) {
      log.removeChild(log.firstElementChild);
    }
    log.scrollTop = log.scrollHeight;
    return li;
  }

  function note(type, text, name) {
    const li = document.createElement('li');
    li.dataset.type = type;
    if (name) {
      li.dataset.name = name;
    }
    li.textContent = text;
    return append(li);
  }

  function line(type, millis, from, text, sender, receiver) {
    const li = document.createElement('li');
    li.dataset.type = type;
    li.dataset.from = sender;
    if (receiver) {
      li.dataset.to = receiver;
    }
    const time = document.createElement('time');
    const when = new Date(millis);
    time.dateTime = when.toISOString();
    time.textContent = when.toLocaleTimeString();
    const who = document.createElement('span');
    who.className = 'from';
    who.textContent = from + ':';
    const what = document.createElement('span');
    what.className = 'text';
    what.textContent = text;
    li.append(time, who, what);
    return append(li);
  }

  function setMembers(names) {
    state.members = new Set(names);
    renderMembers();
  }

  function renderMembers() {
    const names = Array.from(state.members).sort();
    const list = $('members');
    list.replaceChildren(...names.map((name) => {
      const li = document.createElement('li');
      li.dataset.name = name;
      li.dataset.self = String(name === state.boundName);
      li.textContent = name;
      return li;
    }));
    $('count').textContent = String(names.length);
    const to = $('to');
    const chosen = to.value;
    const everyone = to.options[0];
    to.replaceChildren(everyone, ...names.filter((n) => n !== state.boundName).map((name) => {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name;
      return option;
    }));
    to.value = state.members.has(chosen) ? chosen : '';
  }

  function updateControls() {
    const inRoom = isOpen() && state.room !== null;
    $('text').disabled = !inRoom;
    $('send').disabled = !inRoom;
    $('leave').disabled = !inRoom;
    $('current-room').textContent = state.room === null ? '(none)' : state.room;
  }

  $('join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('name').value.trim();
    const room = $('room').value.trim();
    if (!name || !room) {
      return;
    }
    if (state.boundName && state.boundName !== name) {
      state.name = name;
      state.room = room;
      note('info', 'reconnecting as ' + name + ' (a connection keeps the name it joined with)');
      setMembers([]);
      replaceConnection();
      updateControls();
      return;
    }
    if (state.room && state.room !== room && isOpen()) {
      send({ type: 'leave', room: state.room });
    }
    state.name = name;
    state.room = room;
    setMembers([]);
    updateControls();
    if (isOpen()) {
      send({ type: 'join', room: room, name: name });
    }
  });

  $('leave').addEventListener('click', () => {
    if (state.room !== null && isOpen()) {
      send({ type: 'leave', room: state.room });
    }
    state.room = null;
    setMembers([]);
    updateControls();
  });

  $('send-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('text').value;
    if (!text.trim() || state.room === null) {
      return;
    }
    const to = $('to').value;
    send(to ? { type: 'direct', room: state.room, to: to, text: text }
            : { type: 'message', room: state.room, text: text });
    $('text').value = '';
  });

  // For tests and the curious: the live connection (extensions, readyState) and the page state.
  window.ternChat = {
    get socket() { return state.socket; },
    state: state,
  };

  updateControls();
  connect();
})();
