/* Display board: shows the server's board state, keeps it live over Socket.IO, announces new calls. */
(function () {
  "use strict";
  var frame = document.getElementById("board");
  var langs = frame.dataset.languages.split(",");
  var zone = frame.dataset.timezone;
  var board = window.kezekBoard = { version: -1, snapshots: 0, updates: 0, announced: [], played: 0, sounded: [],
    connected: false, sound: "unknown" };
  var seen = null;            // keys of the calls on screen; null until the first state arrives
  var rows = new Map();       // key -> <li>, reused so a flashing row keeps flashing across updates
  var clockOffset = 0;
  var GROUP_PAUSE = 0.35;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function names(variants, cls) {
    var node = el("span", cls);
    langs.forEach(function (lang, i) {
      var text = variants[lang];
      if (!text || (i > 0 && text === variants[langs[0]])) return;
      var part = el("span", "t" + (i + 1), text);
      part.lang = lang;
      node.appendChild(part);
    });
    return node;
  }

  function callRow(call, fresh) {
    var row = rows.get(call.key);
    if (!row) {
      row = el("li");
      row.dataset.key = call.key;
      row.appendChild(el("span", "label", call.label));
      row.appendChild(el("span", "arrow", "\u2192"));
      row.appendChild(el("span", "cabinet", call.cabinet));
      if (fresh) {
        row.classList.add("is-new");   // flashes for a few seconds, then stays calm
        row.addEventListener("animationend", function () { row.classList.remove("is-new"); }, { once: true });
      }
    }
    return row;
  }

  function renderCalls(current, fresh) {
    var list = document.getElementById("calls-current");
    var keep = new Map();
    list.replaceChildren.apply(list, current.map(function (call) {
      var row = callRow(call, fresh.indexOf(call) >= 0);
      keep.set(call.key, row);
      return row;
    }));
    rows = keep;
    document.getElementById("calls-empty").hidden = current.length > 0;
  }

  function renderRecent(recent) {
    var list = document.getElementById("calls-recent");
    list.replaceChildren.apply(list, recent.map(function (call) {
      var row = el("li");
      row.appendChild(el("span", "label", call.label));
      row.appendChild(el("span", "cabinet", call.cabinet));
      return row;
    }));
  }

  function renderWaiting(services) {
    var list = document.getElementById("waiting-list");
    list.replaceChildren.apply(list, services.map(function (entry) {
      var row = el("li");
      var label = names(entry.service, "service");
      label.appendChild(el("span", "kinds", entry.kinds.map(function (kind) {
        return kind.prefix + " " + kind.count;
      }).join("  \u00b7  ")));
      row.appendChild(label);
      row.appendChild(el("span", "count", String(entry.count)));
      return row;
    }));
  }

  function render(state) {
    board.version = state.version;
    clockOffset = Date.parse(state.now) - Date.now();
    var fresh = seen ? state.current.filter(function (call) { return !seen.has(call.key); }) : [];
    seen = new Set(state.current.map(function (call) { return call.key; }));
    renderCalls(state.current, fresh);
    renderRecent(state.recent);
    renderWaiting(state.waiting);
    fresh.slice().reverse().forEach(function (call) { announce(call.sounds); });
  }

  // Sound: Web Audio plays the fragments back to back; browsers start it suspended until a tap.
  var audio = { ctx: null, buffers: {}, queue: [], busy: false };

  function context() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio.ctx && Context) audio.ctx = new Context();
    return audio.ctx;
  }

  function load(url) {
    if (!audio.buffers[url]) {
      audio.buffers[url] = fetch(url).then(function (answer) { return answer.arrayBuffer(); })
        .then(function (data) { return audio.ctx.decodeAudioData(data); });
    }
    return audio.buffers[url];
  }

  function play(groups) {
    var ctx = context();
    if (!ctx || ctx.state !== "running") return Promise.resolve();
    var urls = [].concat.apply([], groups);
    return Promise.all(urls.map(load)).then(function (buffers) {
      var at = ctx.currentTime + 0.05, index = 0;
      groups.forEach(function (group) {
        group.forEach(function (url) {
          var source = ctx.createBufferSource();
          source.buffer = buffers[index++];
          source.onended = function () { board.sounded.push(url); };  // heard through to its end
          source.connect(ctx.destination);
          source.start(at);
          at += source.buffer.duration;
        });
        at += GROUP_PAUSE;
      });
      board.played += 1;
      return new Promise(function (done) { setTimeout(done, (at - ctx.currentTime) * 1000 + 300); });
    });
  }

  function pump() {
    if (audio.busy || !audio.queue.length) return;
    audio.busy = true;
    play(audio.queue.shift()).catch(function () {}).then(function () { audio.busy = false; pump(); });
  }

  function announce(groups) {
    board.announced.push(groups);
    audio.queue.push(groups);
    pump();
  }

  // A TV's browser set up as docs/devices.md says plays at once. Elsewhere the browser may hold the sound
  // until someone taps: the board stays readable and says so in a small note in its corner.
  function soundGate() {
    var ctx = context(), note = document.getElementById("board-sound");
    if (!ctx) return;
    var update = function () {
      board.sound = ctx.state === "running" ? "on" : "blocked";
      note.hidden = ctx.state === "running";
    };
    ctx.onstatechange = update;
    var tryResume = function () { ctx.resume().then(update, update); };
    note.addEventListener("click", tryResume);
    document.addEventListener("pointerdown", tryResume);
    document.addEventListener("keydown", tryResume);
    ctx.resume().catch(function () {});
    setTimeout(update, 300);
  }

  // The office's local time from the server's clock; day and month names come from the page (Babel).
  var calendar = JSON.parse(document.getElementById("board-calendar").textContent);
  var parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", hour: "2-digit", minute: "2-digit",
    day: "numeric", month: "numeric", weekday: "short" });
  var WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

  function tick() {
    var now = {};
    parts.formatToParts(new Date(Date.now() + clockOffset)).forEach(function (part) { now[part.type] = part.value; });
    document.getElementById("board-clock").textContent = now.hour + ":" + now.minute;
    document.getElementById("board-date").textContent = calendar.pattern
      .replace("{weekday}", calendar.weekdays[WEEKDAYS.indexOf(now.weekday)])
      .replace("{day}", now.day).replace("{month}", calendar.months[Number(now.month) - 1]);
  }

  function offline(lost) {
    board.connected = !lost;
    document.getElementById("board-offline").hidden = !lost;
  }

  // No browser menus from the board: a long press or a right click shows nothing.
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  render(JSON.parse(document.getElementById("board-state").textContent));
  tick();
  setInterval(tick, 1000);
  soundGate();

  // The server sends a snapshot on every (re)connect; updates carry the office version.
  var socket = io("/display", { auth: { office: frame.dataset.office }, reconnectionDelayMax: 5000 });
  socket.on("connect", function () { offline(false); });
  socket.on("disconnect", function () { offline(true); });
  socket.on("connect_error", function () { offline(true); });
  var lastAsked = 0;
  socket.on("snapshot", function (state) { board.snapshots += 1; render(state); });
  socket.on("update", function (state) {
    board.updates += 1;
    if (state.version <= board.version) return;         // late or repeated: the board is newer already
    // An update may stand for several changes sent as one (first_version to version): no gap then.
    var gap = (state.first_version || state.version) > board.version + 1;
    render(state);
    // Missed something: ask for the whole state, at most every 10 s (an update is itself the whole
    // board, so a burst of gaps, e.g. several changes sent as one, must not become a burst of requests).
    if (gap && Date.now() - lastAsked > 10000) { lastAsked = Date.now(); socket.emit("snapshot"); }
  });
  // A quiet check now and then, in case a drop went unnoticed.
  setInterval(function () { if (socket.connected) socket.emit("snapshot"); }, 300000);
})();
