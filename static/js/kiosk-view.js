/* Runs before the kiosk page is drawn: the visitor's high-contrast choice (kept until the page goes back
 * to the start by itself) applies from the first paint. */
(function () {
  try {
    if (sessionStorage.getItem("kezek-view") === "hc") document.documentElement.classList.add("hc");
  } catch (e) { /* private mode: the default view */ }
})();
