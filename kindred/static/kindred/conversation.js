// Kindred conversations: live over a websocket, falling back to polling; sends are idempotent.
(function () {
  "use strict";
  var root = document.querySelector("[data-conversation]");
  if (!root) return;
  var list = document.getElementById("messages");
  var form = document.getElementById("message-form");
  var textarea = form && form.querySelector("textarea");
  var counter = document.getElementById("counter");
  var errorBox = document.getElementById("send-error");
  var lastId = parseInt(root.getAttribute("data-last-id"), 10) || 0;
  var isOpen = root.getAttribute("data-open") === "yes";
  var socket = null;
  var pollTimer = null;
  var retry = 0;
  var pending = {}; // client id -> text, until the server confirms
  var leaving = false; // a navigation has started (e.g. this person pressed Close)

  window.addEventListener("beforeunload", function () { leaving = true; });

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function add(html) {
    var tmp = document.createElement("template");
    tmp.innerHTML = html.trim();
    var items = tmp.content.querySelectorAll("li[data-id]");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var id = parseInt(item.getAttribute("data-id"), 10);
      delete pending[item.getAttribute("data-client-id")];
      if (!document.getElementById("message-" + id)) {
        list.appendChild(item);
        var empty = document.getElementById("no-messages");
        if (empty) empty.remove();
      }
      if (id > lastId) lastId = id;
    }
  }

  function markRead() {
    var marks = list.querySelectorAll('.read-mark[data-read="no"]');
    for (var i = 0; i < marks.length; i++) {
      marks[i].setAttribute("data-read", "yes");
      marks[i].textContent = "Read";
    }
  }

  function catchUp() {
    return fetch(root.getAttribute("data-poll") + "?after=" + lastId, {
      headers: { "HX-Request": "true" }, credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
      if (html) add(html);
    }).catch(function () { /* offline: the next poll tries again */ });
  }

  function startPolling() { if (!pollTimer) pollTimer = setInterval(catchUp, 4000); }
  function stopPolling() { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } }

  function showError(text) {
    if (!errorBox) return;
    errorBox.innerHTML = "";
    if (!text) { errorBox.hidden = true; return; }
    var li = document.createElement("li");
    li.textContent = text;
    errorBox.appendChild(li);
    errorBox.hidden = false;
  }

  function connect() {
    if (!isOpen || !("WebSocket" in window)) { startPolling(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + location.host + root.getAttribute("data-ws"));
    } catch (e) { startPolling(); return; }
    socket.onopen = function () {
      retry = 0;
      stopPolling();
      catchUp();
      socket.send(JSON.stringify({ type: "read" }));
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "message") {
        add(data.html);
        if (!data.mine && document.visibilityState === "visible") {
          socket.send(JSON.stringify({ type: "read" }));
        }
      } else if (data.type === "read") {
        markRead();
      } else if (data.type === "error") {
        if (textarea && !textarea.value && pending[data.client_id]) textarea.value = pending[data.client_id];
        delete pending[data.client_id];
        showError(data.error);
      } else if (data.type === "closed") {
        // Reloading would cancel a navigation already under way, such as the closer's
        // own redirect to the feedback form.
        if (!leaving) location.reload();
      }
    };
    socket.onclose = function () {
      socket = null;
      startPolling();
      retry = Math.min(retry + 1, 5);
      setTimeout(connect, 1000 * Math.pow(2, retry));
    };
  }

  function updateCounter() {
    if (!counter || !textarea) return;
    var limit = parseInt(counter.getAttribute("data-limit"), 10);
    var used = textarea.value.length;
    counter.textContent = used + " of " + limit + " characters";
    counter.classList.toggle("over", used > limit);
  }

  if (form && textarea) {
    textarea.addEventListener("input", updateCounter);
    updateCounter();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = textarea.value;
      var limit = parseInt(counter.getAttribute("data-limit"), 10);
      if (!body.trim()) { showError("Write something before sending."); textarea.focus(); return; }
      if (body.length > limit) { showError("Messages can be up to " + limit + " characters."); return; }
      showError("");
      var idField = form.querySelector("[data-client-id]");
      // A retried send keeps its client id, so the server stores it once.
      if (!idField.value) idField.value = newClientId();
      var clientId = idField.value;
      pending[clientId] = body;
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "send", body: body, client_id: clientId }));
        textarea.value = "";
        idField.value = "";
        updateCounter();
        return;
      }
      var data = new FormData(form);
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin", headers: { "HX-Request": "true" }
      }).then(function (r) {
        if (r.status === 204) {
          textarea.value = "";
          idField.value = "";
          updateCounter();
          return catchUp();
        }
        return r.text().then(function (html) {
          var tmp = document.createElement("template");
          tmp.innerHTML = html;
          var err = tmp.content.querySelector(".errorlist li");
          showError(err ? err.textContent : "We could not send that. Try again.");
        });
      }).catch(function () {
        showError("No connection. Your message is still here: press Send again.");
      });
    });
  }

  if (list.lastElementChild) list.lastElementChild.scrollIntoView({ block: "nearest" });
  connect();
})();
