// Shows how printing went on the ticket screen, with the printer's reason when it failed.
// The server decides the state and the reason; this page only displays them.
(function () {
  const shown = document.querySelector(".ticket-shown");
  const note = document.getElementById("print-note");
  if (!shown || !note) return;
  const url = shown.dataset.printStateUrl;
  const reasons = note.querySelectorAll(".print-reason");
  // A ticket still waiting for the printer after this long is shown on screen as not printed,
  // e.g. when a print agent is away; if it prints later the note changes back.
  const patienceMs = 15000;
  const started = Date.now();

  function show(state, error) {
    note.dataset.state = state;
    const known = Array.from(reasons).some((el) => el.dataset.reason === error);
    reasons.forEach((el) => { el.hidden = el.dataset.reason !== (known ? error : "other"); });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return later(2000);
        if (data.state === "queued" && Date.now() - started > patienceMs) show("failed", "timeout");
        else show(data.state, data.error);
        if (data.state === "queued") later(500);
        else if (data.state === "failed") later(2000);
      })
      .catch(() => later(2000));
  }

  function later(ms) {
    // the page returns to the start by itself; no need to poll beyond that
    if (Date.now() - started < 60000) setTimeout(poll, ms);
  }

  if (note.dataset.state === "queued" || note.dataset.state === "failed") setTimeout(poll, 300);
})();
