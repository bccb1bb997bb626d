// Clerk console: commands go over HTTP (each with its own id, so a retry acts once); the server
// renders the panel, this script swaps it in, maps physical keys to buttons, and refreshes the waiting
// list the moment the console's socket says the office's queue changed.
(function () {
  "use strict";
  // Choosing an office on the cabinet list shows its cabinets at once (no inline handlers: strict CSP).
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  const root = document.getElementById("console");
  if (!root) return;
  const panelUrl = root.dataset.panelUrl;
  const queueUrl = root.dataset.queueUrl;
  const cabinetId = Number(root.dataset.cabinet);
  const state = window.kezekConsole = { commands: 0, refreshes: 0, connected: false, busy: false };
  let undoTimer = null;

  // What the clerk has ticked or typed for the current visitor survives a redraw of the panel.
  function kept() {
    const values = {};
    root.querySelectorAll("[data-keep]").forEach((input) => {
      values[`${input.name}:${input.dataset.keep}`] = input.type === "checkbox" ? input.checked : input.value;
    });
    return values;
  }

  function restore(values) {
    root.querySelectorAll("[data-keep]").forEach((input) => {
      const value = values[`${input.name}:${input.dataset.keep}`];
      if (value === undefined) return;
      if (input.type === "checkbox") input.checked = value; else input.value = value;
    });
  }

  function armUndo() {
    clearTimeout(undoTimer);
    const undo = root.querySelector(".undo[data-seconds]");
    if (undo) undoTimer = setTimeout(() => undo.remove(), Number(undo.dataset.seconds) * 1000);
  }

  function swap(html) {
    const values = kept();
    const active = document.activeElement;
    const focused = active && active.dataset && active.dataset.keep ? `${active.name}:${active.dataset.keep}` : null;
    root.innerHTML = html;
    restore(values);
    if (focused) {
      root.querySelectorAll("[data-keep]").forEach((input) => {
        if (`${input.name}:${input.dataset.keep}` === focused) input.focus();
      });
    }
    armUndo();
  }

  // The newest office version the console shows (the server renders it into the panel and the list).
  function shownVersion() {
    let newest = -1;
    root.querySelectorAll("[data-version]").forEach((part) => { newest = Math.max(newest, Number(part.dataset.version)); });
    return newest;
  }

  function say(text) {
    let line = root.querySelector(".refusal");
    if (!line) {
      line = document.createElement("p");
      line.className = "refusal";
      line.setAttribute("role", "alert");
      root.querySelector(".current").before(line);
    }
    line.textContent = text;
  }

  function refresh() {
    if (state.busy) return;
    fetch(panelUrl, { headers: { "X-Console": "panel" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => { if (html !== null && !state.busy) { swap(html); state.refreshes += 1; } })
      .catch(() => {});
  }

  function refreshQueue() {
    if (state.busy) return;
    fetch(queueUrl, { headers: { "X-Console": "panel" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => {
        const list = root.querySelector("#queue");
        if (html === null || state.busy || !list) return;
        list.outerHTML = html;
        state.refreshes += 1;
      })
      .catch(() => {});
  }

  root.addEventListener("submit", (event) => {
    const form = event.target.closest("form.command");
    if (!form) return;
    event.preventDefault();
    if (state.busy) return; // a double tap sends one command
    state.busy = true;
    const body = new FormData(form);
    if (event.submitter && event.submitter.name) body.append(event.submitter.name, event.submitter.value);
    fetch(form.action, { method: "POST", body, headers: { "X-Console": "panel" }, credentials: "same-origin" })
      .then((r) => r.text().then((html) => ({ r, html })))
      .then(({ r, html }) => {
        state.busy = false;
        state.commands += 1;
        // Refusals come back as the panel with the reason in it; anything else is said in one line.
        if (r.headers.get("X-Console-Panel")) swap(html);
        else say(root.dataset.failed.replace("{status}", r.status));
      })
      .catch(() => { state.busy = false; say(root.dataset.offline); });
  });

  // Keys by physical key (event.code), so N is N with a Russian or Kazakh layout too ("т" or "т").
  function typing(element) {
    if (!element) return false;
    if (element.isContentEditable || element.tagName === "TEXTAREA") return true;
    return element.tagName === "INPUT" && !["checkbox", "radio", "button", "submit", "reset"].includes(element.type);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const active = document.activeElement;
    if (typing(active)) {
      // In the number field a letter key types the Latin letter printed on it, as on the ticket.
      if (active.hasAttribute("data-latin-keys") && /^Key[A-Z]$/.test(event.code)) {
        event.preventDefault();
        active.setRangeText(event.code.slice(3), active.selectionStart, active.selectionEnd, "end");
      } else if (event.code === "Escape") {
        active.blur();
      }
      return;
    }
    const match = /^Key([A-Z])$/.exec(event.code);
    if (!match) return;
    const key = match[1].toLowerCase();
    if (key === "c") {
      const field = root.querySelector("input.number-input");
      if (field) { event.preventDefault(); field.focus(); }
      return;
    }
    const button = root.querySelector(`button[data-key="${key}"]`);
    if (!button) return;
    event.preventDefault(); // also keeps a focused select or checkbox from acting on the letter
    button.form.requestSubmit(button);
  });

  armUndo();
  document.addEventListener("kezek:office-changed", refresh);

  // The socket only says that something changed; the server renders what the console shows.
  if (window.io) {
    const mark = document.getElementById("console-live");
    const live = (on) => {
      state.connected = on;
      if (!mark) return;
      mark.textContent = on ? mark.dataset.live : mark.dataset.offline;
      mark.classList.toggle("is-offline", !on);
    };
    const socket = io("/console", { auth: { cabinet: cabinetId }, reconnectionDelayMax: 5000 });
    // A manager's floor raised, repeated, acknowledged or ended an alert: the note above the panel is fetched again.
    const alertsBox = document.getElementById("console-alerts");
    const refreshAlerts = () => {
      if (!alertsBox) return;
      fetch(alertsBox.dataset.url, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.text() : null))
        .then((html) => { if (html !== null) { alertsBox.innerHTML = html; state.alerts = (state.alerts || 0) + 1; } })
        .catch(() => {});
    };
    socket.on("alert", refreshAlerts);
    socket.on("hello", () => { live(true); refresh(); refreshAlerts(); });
    socket.on("disconnect", () => live(false));
    socket.on("connect_error", () => live(false));
    socket.on("changed", (change) => {
      if (change.version <= shownVersion()) return; // shown already (e.g. this console's own command)
      if (change.cabinet === cabinetId) refresh(); else refreshQueue();
    });
  }
})();
