/* Kiosk pages left alone: follow the office's state live, and go back to the Kazakh start when untouched.
 * The server says what changed (keys of what each page shows); this page only compares and fetches itself
 * again, so every word on screen still comes from the server's templates. */
(function () {
  "use strict";
  var config = document.getElementById("kiosk-live");
  if (!config) return;
  var kiosk = window.kezekKiosk = { connected: false, states: 0, refreshed: 0, state: null };
  var idleMs = parseFloat(config.dataset.idleSeconds) * 1000;
  var fallbackMs = parseFloat(config.dataset.fallbackSeconds) * 1000;
  var idleUrl = config.dataset.idleUrl;

  function main() { return document.getElementById("kiosk-main"); }

  function pageKeys() {
    var text = main() && main().dataset.liveKeys;
    return text ? JSON.parse(text) : null;
  }

  function stale(state) {
    var keys = pageKeys();
    if (!keys || !state) return false;
    return Object.keys(keys).some(function (key) { return state.keys[key] !== keys[key]; });
  }

  // Fetch this page again and put its new main part in place: what the page offers changes, the page stays.
  var fetching = false;
  function refresh() {
    if (fetching || !pageKeys()) return;
    fetching = true;
    fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("kiosk-main");
        if (!fresh) return;
        main().innerHTML = fresh.innerHTML;
        main().dataset.liveKeys = fresh.dataset.liveKeys || "";
        kiosk.refreshed += 1;
        document.dispatchEvent(new CustomEvent("kezek:refreshed"));
      })
      .catch(function () {})
      .then(function () {
        fetching = false;
        if (stale(kiosk.state)) setTimeout(refresh, 1000);  // changed again meanwhile
      });
  }

  function onState(state) {
    kiosk.states += 1;
    kiosk.state = state;
    if (stale(state)) refresh();
  }

  // Idle: any touch, tap, key or typing starts the count again; then back to the start page in Kazakh.
  var idleTimer = null;
  function atStart() { return location.pathname + location.search === idleUrl; }
  function goHome() {
    try { sessionStorage.removeItem("kezek-view"); } catch (e) { /* private mode */ }
    if (atStart() && !document.documentElement.classList.contains("hc")) { touched(); return; }
    // Only leave for a page the server can answer: a kiosk must never end on the browser's error page.
    fetch(idleUrl, { method: "HEAD", cache: "no-store" })
      .then(function (answer) { if (answer.ok) location.assign(idleUrl); else retry(); })
      .catch(retry);
  }
  function retry() { clearTimeout(idleTimer); idleTimer = setTimeout(goHome, 10000); }
  function touched() { clearTimeout(idleTimer); idleTimer = setTimeout(goHome, idleMs); }
  ["pointerdown", "touchstart", "keydown", "input", "wheel"].forEach(function (name) {
    document.addEventListener(name, touched, { passive: true, capture: true });
  });
  touched();
  kiosk.goHome = goHome;

  // No browser menus from the page: a long press or a right click shows nothing.
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  var note = document.getElementById("kiosk-offline");
  function showOffline(lost) { if (note) note.hidden = !lost; }

  // A tap that would leave the page (take a ticket, search) while the server may be away: ask it first,
  // so the kiosk says so instead of ending on the browser's error page. With the live channel up, go.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (kiosk.connected || form.dataset.checked) return;
    event.preventDefault();
    var submitter = event.submitter;
    fetch(idleUrl, { method: "HEAD", cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) throw new Error("server");
        showOffline(false);
        form.dataset.checked = "1";
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      })
      .catch(function () { showOffline(true); });
  }, true);

  if (!pageKeys()) return;  // pages with nothing live (ticket, directory) only return to the start
  // The live channel: the same Socket.IO server as the board; the state comes on every (re)connect.
  var socket = window.io ? io("/kiosk", { auth: { office: config.dataset.office }, reconnectionDelayMax: 5000 }) : null;
  function offline(lost) {
    kiosk.connected = !lost;
    if (!lost) showOffline(false);
    // a moment's drop (a server restart) is not worth a note; a longer one is
    else setTimeout(function () { if (!kiosk.connected) showOffline(true); }, 3000);
  }
  if (socket) {
    socket.on("connect", function () { offline(false); });
    socket.on("disconnect", function () { offline(true); });
    socket.on("connect_error", function () { offline(true); });
    socket.on("state", onState);
  }
  // Without the socket (a proxy that drops it, the server restarting) the page fetches itself now and then.
  setInterval(function () { if (!kiosk.connected && pageKeys()) refresh(); }, fallbackMs);
})();
