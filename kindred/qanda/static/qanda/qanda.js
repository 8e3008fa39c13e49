// Kindred live Q&A: the list re-ranks over a websocket, with htmx polling whenever it is down.
(function () {
  "use strict";
  var root = document.querySelector("[data-qanda]");
  if (!root) return;
  var region = root.querySelector("[data-live-region]");
  var retry = 0;
  var pending = null;

  // Show the ask form only while the server says the Q&A is open.
  function sync() {
    var marker = region.querySelector("[data-state]");
    var ask = document.querySelector("[data-ask]");
    if (ask && marker) ask.hidden = marker.getAttribute("data-state") !== "open";
  }

  // The broadcast list is the same for everyone: mark this person's votes and questions.
  function mark(voted, mine) {
    region.querySelectorAll("[data-question]").forEach(function (item) {
      var id = Number(item.getAttribute("data-question"));
      var hasVoted = voted.indexOf(id) !== -1;
      var yes = item.querySelector("[data-vote='yes']");
      var no = item.querySelector("[data-vote='no']");
      if (yes) yes.hidden = hasVoted;
      if (no) no.hidden = !hasVoted;
      var own = item.querySelector("[data-mine]");
      if (own) own.hidden = mine.indexOf(id) === -1;
    });
  }

  // Keep keyboard focus on the same control of the same question after the list is redrawn.
  function focusKey() {
    var active = document.activeElement;
    if (!active || !region.contains(active)) return null;
    var item = active.closest("[data-question]");
    var form = active.closest("[data-action]");
    return item ? { id: item.getAttribute("data-question"), action: form && form.getAttribute("data-action") } : null;
  }

  function restoreFocus(key) {
    if (!key) return;
    var item = region.querySelector("[data-question='" + key.id + "']");
    if (!item) return;
    var target = key.action && item.querySelector("[data-action='" + key.action + "']:not([hidden]) button");
    target = target || item.querySelector("form:not([hidden]) button");
    if (target) target.focus();
  }

  function show(data) {
    // Do not redraw under a moderator choosing from a list; draw once they leave it.
    if (document.activeElement && document.activeElement.tagName === "SELECT" && region.contains(document.activeElement)) {
      pending = data;
      return;
    }
    var key = focusKey();
    region.innerHTML = data.html;
    mark(data.voted || [], data.mine || []);
    if (window.htmx) window.htmx.process(region);
    sync();
    restoreFocus(key);
  }

  region.addEventListener("focusout", function () {
    if (!pending) return;
    var data = pending;
    pending = null;
    setTimeout(function () { show(data); }, 0);
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target !== region || !event.detail.xhr) return;
    var status = event.detail.xhr.status;
    if (status === 400) { event.detail.shouldSwap = true; event.detail.isError = false; return; }
    if (status !== 200) event.detail.shouldSwap = false;
  });
  document.body.addEventListener("htmx:afterSwap", sync);

  function connect() {
    if (!("WebSocket" in window)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + location.host + root.getAttribute("data-ws"));
    } catch (e) { return; }
    socket.onopen = function () { retry = 0; window.kindredQandaLive = true; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.html) show(data);
    };
    socket.onclose = function () {
      window.kindredQandaLive = false;
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 1000 * Math.pow(2, retry));
    };
  }

  sync();
  connect();
})();
