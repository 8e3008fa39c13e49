// Kindred safety panel: when a message arrives in the conversation (live or by polling),
// fetch the panel again so guidance or crisis lines appear without a reload.
(function () {
  "use strict";
  var panel = document.getElementById("safety-panel");
  var list = document.getElementById("messages");
  if (!panel || !list || !window.MutationObserver || !window.fetch) return;
  var url = panel.getAttribute("data-url");
  var timer = null;

  function state(root) {
    var inner = root.querySelector("[data-state]");
    return inner ? inner.getAttribute("data-state") : "";
  }

  // Carry ticked boxes and written notes over to the fresh panel.
  function keepWhatWasTyped(from, to) {
    from.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      var same = to.querySelector('input[type=checkbox][id="' + box.id + '"]');
      if (same) same.checked = true;
    });
    from.querySelectorAll("textarea").forEach(function (area) {
      var same = area.name && to.querySelector('textarea[name="' + area.name + '"]');
      if (same && area.value) same.value = area.value;
    });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var tmp = document.createElement("template");
        tmp.innerHTML = html.trim();
        var fresh = tmp.content.querySelector("[data-state]");
        // Unchanged: leave it, so ticked boxes and a half-written note are kept.
        if (fresh && fresh.getAttribute("data-state") === state(panel)) return;
        if (fresh) keepWhatWasTyped(panel, fresh);
        panel.innerHTML = "";
        if (fresh) panel.appendChild(fresh);
      })
      .catch(function () { /* offline: the next message tries again */ });
  }

  new MutationObserver(function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }).observe(list, { childList: true });
})();
