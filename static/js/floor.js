// Manager's live floor: the server renders the floor (or each office's tile); this script swaps in a
// fresh copy the moment the /floor socket says an office changed, and once a minute as waits grow.
(function () {
  "use strict";
  const mark = document.getElementById("floor-live");
  if (!mark) return;
  const state = window.kezekFloor = { connected: false, refreshes: 0 };
  const EVERY_MS = 60000;

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
        now.outerHTML = html;
        state.refreshes += 1;
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
  socket.on("hello", () => { live(true); refreshAll(); });
  socket.on("disconnect", () => live(false));
  socket.on("connect_error", () => live(false));
  socket.on("changed", (change) => refresh(change.office, change.version));
})();
