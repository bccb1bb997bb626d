// Manager's live floor: the server renders the floor (or each office's tile); this script swaps in a
// fresh copy the moment the /floor socket says an office changed, and once a minute as waits grow.
// On one office's floor it also asks the server to check the alerts (after each change and every half
// minute), sounds a chime and shows a notification for each alert raised or repeated, and sends a
// manager's acknowledgement. The server's own checker raises alerts with no floor open too: its "alert" on
// the socket makes an office's floor check at once (sounding for what was raised or repeated since its last
// check) and the regional grid fetch the office's tile again, sounding when the tile shows a new alert.
(function () {
  "use strict";
  const mark = document.getElementById("floor-live");
  if (!mark) return;
  const state = window.kezekFloor = { connected: false, refreshes: 0, checks: 0, sounds: 0, notified: 0 };
  const EVERY_MS = 60000;
  const ALERTS_EVERY_MS = 30000;
  const box = document.getElementById("floor-alerts-box");
  const soundOn = document.getElementById("floor-sound");

  // A browser may hold sound back until the manager taps the page: the "sound on" button appears then.
  function chime() {
    state.sounds += 1;
    new Audio(mark.dataset.sound).play().catch((error) => {
      if (soundOn && error && error.name === "NotAllowedError") soundOn.hidden = false;
    });
  }
  if (soundOn) {
    soundOn.addEventListener("click", () => {
      new Audio(mark.dataset.sound).play().then(() => { soundOn.hidden = true; }).catch(() => {});
    });
  }

  function swapAlerts(html) {
    box.innerHTML = html;
    const list = box.querySelector("#floor-alerts");
    const due = list ? Number(list.dataset.due) : 0;
    if (!due) return;
    chime(); // a browser that holds sound back still shows the list
    if (window.Notification && Notification.permission === "granted") {
      box.querySelectorAll("li.is-due .alert-text").forEach((text) => {
        new Notification(box.dataset.title, { body: text.textContent, tag: "kezek-alert" });
        state.notified += 1;
      });
    }
  }

  function post(url, body) {
    return fetch(url, { method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": box.dataset.csrf } })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => { if (html !== null) swapAlerts(html); })
      .catch(() => {});
  }

  function checkAlerts() {
    const list = box && box.querySelector("#floor-alerts");
    if (!list) return Promise.resolve();
    state.checks += 1;
    refreshAll(); // waits grow with the clock even when nothing changes
    const form = new FormData();
    form.append("since", list.dataset.checked || ""); // alerts the server's checker raised since then sound too
    return post(list.dataset.checkUrl, form);
  }
  state.checkAlerts = checkAlerts;

  // After a change: at most one check per few seconds, so a burst of tickets costs the server one write.
  const SOON_MS = 3000;
  let soon = null;
  function checkSoon() {
    if (soon) return;
    soon = setTimeout(() => { soon = null; checkAlerts(); }, SOON_MS);
  }

  if (box) {
    box.addEventListener("submit", (event) => {
      const form = event.target.closest("form.acknowledge");
      if (!form) return;
      event.preventDefault();
      post(form.action, new FormData(form));
    });
    const ask = document.getElementById("floor-notify");
    if (ask && window.Notification && Notification.permission === "default") {
      ask.hidden = false;
      ask.addEventListener("click", () => Notification.requestPermission().then(() => { ask.hidden = true; }));
    }
    setInterval(checkAlerts, ALERTS_EVERY_MS);
  }

  // The part showing one office: the whole floor, or its tile on the regional grid.
  function partOf(officeId) {
    return document.querySelector(`#floor[data-office="${officeId}"], .floor-tile[data-office="${officeId}"]`);
  }

  function refresh(officeId, version) {
    const part = partOf(officeId);
    if (!part) return;
    if (version !== undefined && version <= Number(part.dataset.version)) return; // shown already
    const url = part.dataset.partUrl || part.dataset.tileUrl;
    fetch(url, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        const now = partOf(officeId);
        if (html === null || !now) return;
        // Two fetches can cross (one on connecting, one for a change just after): an answer older than what
        // is shown would put the old counts back until the next change or minute.
        const holder = document.createElement("template");
        holder.innerHTML = html.trim();
        const fetched = holder.content.firstElementChild;
        if (fetched && Number(fetched.dataset.version) < Number(now.dataset.version)) return;
        const shown = Number(now.dataset.alertShown || 0);
        now.outerHTML = html;
        state.refreshes += 1;
        const fresh = partOf(officeId);
        if (fresh && Number(fresh.dataset.alertShown || 0) > shown) chime(); // a tile with a new or repeated alert
      })
      .catch(() => {});
  }

  function refreshAll() {
    document.querySelectorAll("#floor[data-office], .floor-tile[data-office]").forEach((part) => refresh(part.dataset.office));
  }

  setInterval(refreshAll, EVERY_MS);
  if (!window.io) return;
  const live = (on) => {
    state.connected = on;
    mark.textContent = on ? mark.dataset.live : mark.dataset.offline;
    mark.classList.toggle("is-offline", !on);
  };
  const asked = mark.dataset.office === "all" ? "all" : Number(mark.dataset.office);
  const socket = io("/floor", { auth: { office: asked }, reconnectionDelayMax: 5000 });
  socket.on("hello", () => { live(true); refreshAll(); checkAlerts(); });
  socket.on("disconnect", () => live(false));
  socket.on("connect_error", () => live(false));
  socket.on("changed", (change) => { refresh(change.office, change.version); if (box) checkSoon(); });
  socket.on("alert", (alert) => { if (box) checkSoon(); else refresh(alert.office); });
})();
