// Clerk console: commands go over HTTP (each with its own id, so a retry acts once); the server
// renders the panel, this script only swaps it in, refreshes it, and maps keys to buttons.
(function () {
  // Choosing an office on the cabinet list shows its cabinets at once (no inline handlers: strict CSP).
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  const root = document.getElementById("console");
  if (!root) return;
  const panelUrl = root.dataset.panelUrl;
  let busy = false;

  function swap(html) { root.innerHTML = html; }

  function refresh() {
    if (busy) return;
    fetch(panelUrl, { headers: { "X-Console": "panel" }, credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => { if (html !== null && !busy) swap(html); })
      .catch(() => {});
  }

  root.addEventListener("submit", (event) => {
    const form = event.target.closest("form.command");
    if (!form) return;
    event.preventDefault();
    if (busy) return; // a double tap sends one command
    busy = true;
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Console": "panel" }, credentials: "same-origin" })
      .then((r) => r.text().then((html) => ({ ok: r.ok, html })))
      .then(({ ok, html }) => { busy = false; if (ok) swap(html); else refresh(); })
      .catch(() => { busy = false; });
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName)) return;
    const form = root.querySelector(`form.command[data-key="${event.key.toLowerCase()}"]`);
    if (form) { event.preventDefault(); form.requestSubmit(); }
  });

  document.addEventListener("kezek:office-changed", refresh);
  setInterval(refresh, 5000);
})();
