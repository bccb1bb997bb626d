/* One tap for a visitor who reads with difficulty: large text in high contrast, and the screen's choices
 * read aloud from the recordings the server lists for the page (in Kazakh or Russian). */
(function () {
  "use strict";
  var kiosk = window.kezekKiosk = window.kezekKiosk || {};
  kiosk.spoken = [];
  var root = document.documentElement;
  var view = document.getElementById("view-toggle");
  var speaker = document.getElementById("read-aloud");

  function showView() { if (view) view.setAttribute("aria-pressed", root.classList.contains("hc") ? "true" : "false"); }
  if (view) {
    view.addEventListener("click", function () {
      var on = root.classList.toggle("hc");
      try { if (on) sessionStorage.setItem("kezek-view", "hc"); else sessionStorage.removeItem("kezek-view"); }
      catch (e) { /* private mode: for this page only */ }
      showView();
    });
    showView();
  }

  // Reading: one recording after the other; a second tap stops it.
  var playing = null;
  function urls() {
    var list = document.getElementById("kiosk-speech");
    return list ? JSON.parse(list.dataset.urls) : [];
  }
  function stop() {
    if (playing) { playing.pause(); playing = null; }
    if (speaker) speaker.classList.remove("is-playing");
  }
  function read(queue) {
    if (!queue.length) { stop(); return; }
    var url = queue.shift();
    playing = new Audio(url);
    playing.addEventListener("ended", function () { kiosk.spoken.push(url); read(queue); });
    playing.addEventListener("error", function () { read(queue); });
    playing.play().catch(function () { stop(); });
  }
  if (speaker) {
    speaker.addEventListener("click", function () {
      if (playing) { stop(); return; }
      speaker.classList.add("is-playing");
      read(urls());
    });
  }
  document.addEventListener("kezek:refreshed", function () { if (speaker) speaker.hidden = !urls().length; });
})();
