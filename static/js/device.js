// An enrolled device (kiosk, board, feedback tablet) reports every 15 seconds that it is alive, on which page
// and with which page version. A kiosk shows or hides its printer notice from the answer: the server decides
// the printer's state from the printer's own status bytes; this script only displays it.
(function () {
  const me = document.currentScript;
  if (!me) return;
  const url = me.dataset.heartbeatUrl;
  const version = me.dataset.version;
  const everyMs = 15000;

  function show(answer) {
    const notice = document.getElementById("printer-notice");
    if (notice && answer && typeof answer.cannot_print === "boolean") notice.hidden = !answer.cannot_print;
  }

  function beat() {
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ page: location.pathname + location.search, version: version }),
    })
      .then((r) => (r.ok ? r.json() : null))
      .then(show)
      .catch(() => {})
      .finally(() => setTimeout(beat, everyMs));
  }

  beat();
})();
