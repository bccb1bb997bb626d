/* The kiosk's on-screen keyboard: taps on its keys type into the field it serves (a touch kiosk has no
 * keyboard). The field keeps the focus; the keyboard shows when the field is tapped. */
(function () {
  "use strict";

  function setUp(board) {
    var field = document.getElementById(board.dataset.target);
    if (!field || board.dataset.ready) return;
    board.dataset.ready = "1";

    function type(text) {
      var start = field.selectionStart == null ? field.value.length : field.selectionStart;
      var end = field.selectionEnd == null ? field.value.length : field.selectionEnd;
      if (field.maxLength > 0 && field.value.length - (end - start) + text.length > field.maxLength) return;
      field.setRangeText(text, start, end, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function erase() {
      var start = field.selectionStart, end = field.selectionEnd;
      if (start == null) { start = end = field.value.length; }
      if (start === end && start > 0) start -= 1;
      field.setRangeText("", start, end, "end");
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function switchLayout() {
      var layouts = board.querySelectorAll(".osk-layout");
      var shown = Array.prototype.findIndex.call(layouts, function (layout) { return !layout.hidden; });
      var next = layouts[(shown + 1) % layouts.length];
      layouts.forEach(function (layout) { layout.hidden = layout !== next; });
      board.querySelectorAll(".osk-switch [data-when]").forEach(function (label) {
        label.hidden = label.dataset.when !== next.dataset.layout;
      });
    }

    // pointerdown, not click: the field must not lose the focus (and its caret) to the key.
    board.addEventListener("pointerdown", function (event) { event.preventDefault(); });
    board.addEventListener("click", function (event) {
      var key = event.target.closest(".osk-key");
      if (!key) return;
      if (key.dataset.key !== undefined) type(key.dataset.key);
      else if (key.dataset.action === "erase") erase();
      else if (key.dataset.action === "switch") switchLayout();
      else if (key.dataset.action === "enter" && field.form) field.form.requestSubmit();
      field.focus();
    });
    var show = function () { board.hidden = false; };
    field.addEventListener("focus", show);
    field.addEventListener("pointerdown", show);
    if (document.activeElement === field || field.value) show();
  }

  function all() { document.querySelectorAll(".osk").forEach(setUp); }
  all();
  document.addEventListener("kezek:refreshed", all);
})();
