/* Directory pages: keep each office's live state (open now, waits, quietest hours) current by fetching the
   directory's JSON feed every few seconds; the server words every sentence, this only puts them in place. */
(function () {
  "use strict";
  var feed = document.getElementById("dir-live-feed");
  if (!feed) return;
  var every = Math.max(1, Number(feed.dataset.every) || 20) * 1000;
  var live = window.kezekDirectoryLive = { fetched: 0, failed: 0 };
  var timer = null;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(box, text) {
    var status = box.querySelector('[data-live="status"]');
    status.textContent = text.status;
    status.classList.toggle("is-open", text.open);
    status.classList.toggle("is-closed", !text.open);
    box.querySelector('[data-live="today"]').textContent = text.today;
    var services = box.querySelector('[data-live="services"]');
    services.replaceChildren.apply(services, text.services.map(function (service) {
      var line = element("p", "dir-live-service");
      line.appendChild(element("strong", "", service.name));
      service.lines.forEach(function (words) { line.appendChild(element("span", "", words)); });
      return line;
    }));
    box.querySelector('[data-live="quiet_heading"]').textContent = text.quiet_heading;
    var quiet = box.querySelector('[data-live="quiet"]');
    quiet.replaceChildren.apply(quiet, text.quiet.map(function (words) { return element("li", "", words); }));
  }

  function apply(data) {
    (data.offices || [data]).forEach(function (office) {
      document.querySelectorAll('[data-live-office="' + office.office + '"]').forEach(function (box) {
        render(box, office.text);
      });
    });
  }

  function schedule() {
    clearTimeout(timer);
    if (!document.hidden) timer = setTimeout(tick, every);
  }

  function tick() {
    fetch(feed.dataset.url, { cache: "no-store", credentials: "omit" })
      .then(function (answer) { return answer.ok ? answer.json() : Promise.reject(answer.status); })
      .then(function (data) { apply(data); live.fetched += 1; })
      .catch(function () { live.failed += 1; })  /* the last state stays shown; the next fetch tries again */
      .then(schedule);
  }

  document.addEventListener("visibilitychange", function () { if (!document.hidden) tick(); });
  schedule();
})();
