// Shows the printer's failure on the ticket screen; the server decides the state, this only displays it.
(function () {
  const shown = document.querySelector(".ticket-shown");
  const note = document.getElementById("print-note");
  if (!shown || !note) return;
  const url = shown.dataset.printStateUrl;
  let tries = 0;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (data) note.dataset.state = data.state;
        if (data && data.state === "queued" && ++tries < 20) setTimeout(poll, 500);
      })
      .catch(() => { if (++tries < 20) setTimeout(poll, 1000); });
  }
  if (note.dataset.state === "queued") setTimeout(poll, 300);
})();
