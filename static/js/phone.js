/* Phone status page: keeps one ticket's status live; on a call, shows the cabinet, vibrates and chimes. */
(function () {
  "use strict";
  var page = document.getElementById("phone");
  var phone = window.kezekPhone = { version: -1, status: page.dataset.status, recalls: 0, alerts: 0, connected: false };
  var alertsOn = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function alert() {
    phone.alerts += 1;
    if (!alertsOn) return;
    if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 800]);
    var sound = new Audio(page.dataset.chime);
    sound.play().catch(function () {});
  }

  function render(state) {
    var called = state.status === "called";
    var ring = called && (phone.status !== "called" || state.recalls !== phone.recalls);
    phone.version = state.version;
    phone.status = state.status;
    phone.recalls = state.recalls;
    var group = ["waiting", "called", "serving"].indexOf(state.status) >= 0 ? state.status : "over";
    page.querySelectorAll("[data-when]").forEach(function (part) { part.hidden = part.dataset.when !== group; });
    if (state.status === "waiting") {
      var ahead = document.getElementById("ahead"), wait = document.getElementById("wait");
      ahead.textContent = fill(ahead.dataset.text, { n: state.ahead });
      // the server words the wait (the same words as the kiosk's screen and the paper)
      wait.textContent = state.wait.text[document.documentElement.lang] || state.wait.text.kk;
    }
    if (called) {
      var line = document.getElementById("called");
      line.textContent = fill(line.dataset.text, { cabinet: state.cabinet });
      document.getElementById("cabinet-big").textContent = state.cabinet;
    }
    document.body.classList.toggle("is-called", called);
    if (ring) alert();
  }

  function live(on) {
    phone.connected = on;
    var mark = document.getElementById("phone-live");
    mark.textContent = on ? mark.dataset.live : mark.dataset.offline;
    mark.classList.toggle("is-offline", !on);
  }

  document.getElementById("phone-alerts").addEventListener("click", function () {
    alertsOn = true;   // a tap lets the page vibrate and play sound later
    if (navigator.vibrate) navigator.vibrate(60);
    this.hidden = true;
    document.getElementById("phone-alerts-on").hidden = false;
  });

  var first = JSON.parse(document.getElementById("phone-state").textContent);
  phone.recalls = first.recalls;
  render(first);
  // A status always carries the whole state of this ticket; an older one than shown is skipped.
  var socket = io("/phone", { auth: { code: page.dataset.code }, reconnectionDelayMax: 5000 });
  socket.on("connect", function () { live(true); });
  socket.on("disconnect", function () { live(false); });
  socket.on("connect_error", function () { live(false); });
  socket.on("status", function (state) { if (state.version >= phone.version) render(state); });
})();
