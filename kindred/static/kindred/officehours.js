// Kindred walk-in queues: live over a websocket, with htmx polling whenever it is down.
(function () {
  "use strict";
  var root = document.querySelector("[data-walk-in]");
  if (!root) return;
  var region = root.querySelector("[data-live-region]");
  var retry = 0;

  // Show "Join" or "Leave" to match the state the server last described.
  function sync() {
    var marker = region.querySelector("[data-state]");
    var state = marker ? marker.getAttribute("data-state") : "";
    var join = root.querySelector("[data-join]");
    var leave = root.querySelector("[data-leave]");
    if (join) join.hidden = state !== "none";
    if (leave) leave.hidden = state !== "waiting";
  }

  function textOf(html) {
    var tmp = document.createElement("template");
    tmp.innerHTML = html;
    return tmp.content.textContent.replace(/\s+/g, " ").trim();
  }

  function show(html) {
    // Replace only when something changed, so screen readers are not told the same thing twice.
    if (textOf(html) === region.textContent.replace(/\s+/g, " ").trim()) return;
    region.innerHTML = html;
    sync();
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target !== region || !event.detail.xhr) return;
    if (event.detail.xhr.status !== 200) { event.detail.shouldSwap = false; return; }
    if (textOf(event.detail.serverResponse) === region.textContent.replace(/\s+/g, " ").trim()) {
      event.detail.shouldSwap = false;
    }
  });
  document.body.addEventListener("htmx:afterSwap", sync);

  function connect() {
    if (!("WebSocket" in window)) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket;
    try {
      socket = new WebSocket(scheme + location.host + root.getAttribute("data-ws"));
    } catch (e) { return; }
    socket.onopen = function () { retry = 0; window.kindredLive = true; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.html) show(data.html);
    };
    socket.onclose = function () {
      window.kindredLive = false;
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 1000 * Math.pow(2, retry));
    };
  }

  sync();
  connect();
})();
