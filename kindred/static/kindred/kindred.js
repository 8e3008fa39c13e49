// Kindred: quick exit (button, or Escape three times) and history that keeps one Kindred page.
(function () {
  "use strict";
  var body = document.body;
  var exitUrl = body.getAttribute("data-quick-exit-url") || "https://www.bbc.co.uk/weather";

  function leave() {
    // Hide at once, then replace this page so Back cannot return to Kindred in this tab.
    document.documentElement.style.visibility = "hidden";
    document.title = "";
    window.location.replace(exitUrl);
  }

  document.addEventListener("click", function (event) {
    var exit = event.target.closest("[data-quick-exit]");
    if (exit) {
      event.preventDefault();
      leave();
      return;
    }
    // Moving between Kindred pages replaces the history entry instead of adding one,
    // so the quick exit leaves nothing to go back to.
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.target && link.target !== "_self") return;
    if (link.hasAttribute("download")) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    if (url.pathname === window.location.pathname && url.hash) return;
    event.preventDefault();
    window.location.replace(url.href);
  });

  var escapes = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    escapes = escapes.filter(function (t) { return now - t < 2000; });
    escapes.push(now);
    if (escapes.length >= 3) leave();
  });
})();
