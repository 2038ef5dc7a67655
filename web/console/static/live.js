// The live handoff page: a WebSocket to /console/live/ws, the queue, the conversations held, the actions.
// Everything the citizen or an officer typed is put in the page as text (textContent), never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !root.dataset.centre) { return; }
  var centre = root.dataset.centre;
  var errorBox = document.getElementById("live-error");
  var outcomes = document.getElementById("outcomes");
  var held = {};        // id -> section element
  var officers = [];
  var socket = null;
  var retry = 1000;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }
  function who(line) {
    if (line.who === "citizen") { return "Người dân: "; }
    if (line.who === "officer") { return "Cán bộ " + line.officer + ": "; }
    return "Trợ lý ảo: ";
  }
  function lineItem(line) {
    var li = el("li", "line " + line.who);
    li.appendChild(el("span", "who", who(line)));
    li.appendChild(document.createTextNode(line.text));
    return li;
  }
  function transcript(lines) {
    var list = el("ol", "transcript");
    if (lines === null) { return el("p", "error", "Chưa tải được nội dung trò chuyện (trợ lý ảo không phản hồi)."); }
    lines.forEach(function (line) { list.appendChild(lineItem(line)); });
    return list;
  }
  function waited(seconds) {
    var m = Math.floor(Math.max(0, seconds) / 60), s = Math.floor(Math.max(0, seconds) % 60);
    return m ? m + " phút " + (s < 10 ? "0" : "") + s + " giây" : s + " giây";
  }
  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) { showError("Mất kết nối, đang kết nối lại…"); return; }
    socket.send(JSON.stringify(message));
  }

  function renderQueue(msg) {
    var box = document.getElementById("waiting");
    box.textContent = "";
    if (!msg.waiting.length) { box.appendChild(el("p", "meta", "Không có ai đang chờ.")); }
    msg.waiting.forEach(function (w) {
      var section = el("section", "group waiting");
      var title = el("h3");
      title.appendChild(el("span", "count", "#" + w.position));
      title.appendChild(document.createTextNode(" Kênh " + w.channel + " · chờ " + waited(msg.now - w.requested_at)));
      section.appendChild(title);
      section.appendChild(transcript(w.transcript));
      var take = el("button", "primary", "Nhận cuộc trò chuyện");
      take.type = "button";
      take.addEventListener("click", function () { take.disabled = true; send({type: "take", id: w.id}); });
      section.appendChild(take);
      box.appendChild(section);
    });
    officers = msg.officers;
    var list = document.getElementById("officers");
    list.textContent = "";
    officers.forEach(function (name) { list.appendChild(el("li", "", name)); });
    Object.keys(held).forEach(function (id) { refreshTransferChoices(held[id]); });
  }

  function refreshTransferChoices(section) {
    var select = section.querySelector("select.transfer-to");
    var me = root.dataset.officer;
    select.textContent = "";
    officers.filter(function (n) { return n !== me; }).forEach(function (name) {
      var option = el("option", "", name);
      option.value = name;
      select.appendChild(option);
    });
  }

  function form(label, button, build, onSubmit) {
    var f = el("form", "row");
    var parts = build(f);
    var b = el("button", "", button);
    b.type = "submit";
    f.appendChild(b);
    f.setAttribute("aria-label", label);
    f.addEventListener("submit", function (event) { event.preventDefault(); onSubmit(parts); });
    return f;
  }

  function renderHeld(msg) {
    var box = document.getElementById("held");
    if (!Object.keys(held).length) { box.textContent = ""; }
    var old = held[msg.id];
    var section = el("section", "group held");
    section.dataset.id = msg.id;
    section.appendChild(el("h3", "", "Kênh " + msg.channel + " · mã hội thoại " + msg.ref));
    if (msg.note) { section.appendChild(el("p", "notice", "Ghi chú khi chuyển: " + msg.note)); }
    if (msg.lookups.length) {
      var details = el("details");
      details.appendChild(el("summary", "", "Kết quả tra cứu hồ sơ"));
      msg.lookups.forEach(function (text) { details.appendChild(el("p", "bubble", text)); });
      section.appendChild(details);
    }
    section.appendChild(transcript(msg.transcript));
    section.appendChild(form("Nhắn người dân", "Gửi", function (f) {
      var input = el("textarea");
      input.rows = 2; input.maxLength = 2000; input.required = true;
      f.appendChild(input);
      return {input: input};
    }, function (p) { send({type: "say", id: msg.id, text: p.input.value}); p.input.value = ""; }));
    section.appendChild(form("Chuyển cán bộ khác", "Chuyển", function (f) {
      var to = el("select", "transfer-to");
      var note = el("input");
      note.placeholder = "Ghi chú cho cán bộ nhận";
      f.appendChild(to); f.appendChild(note);
      return {to: to, note: note};
    }, function (p) { send({type: "transfer", id: msg.id, to: p.to.value, note: p.note.value}); }));
    section.appendChild(form("Kết thúc", "Kết thúc", function (f) {
      var outcome = el("select");
      outcome.appendChild(outcomes.content.cloneNode(true));
      f.appendChild(outcome);
      return {outcome: outcome};
    }, function (p) { send({type: "close", id: msg.id, outcome: p.outcome.value}); }));
    held[msg.id] = section;
    refreshTransferChoices(section);
    if (old) { box.replaceChild(section, old); } else { box.appendChild(section); }
  }

  function addLine(id, line) {
    var section = held[id];
    if (section) { section.querySelector("ol.transcript").appendChild(lineItem(line)); }
  }

  function release(id) {
    var section = held[id];
    if (section) { section.remove(); delete held[id]; }
    if (!Object.keys(held).length) {
      document.getElementById("held").appendChild(el("p", "meta", "Bạn chưa nhận cuộc trò chuyện nào."));
    }
  }

  function onMessage(event) {
    var msg = JSON.parse(event.data);
    if (msg.type === "queue") { renderQueue(msg); }
    else if (msg.type === "held") { renderHeld(msg); }
    else if (msg.type === "message") { addLine(msg.id, msg); }
    else if (msg.type === "released") { release(msg.id); }
    else if (msg.type === "error") { showError(msg.text); }
    else if (msg.type === "result") {
      showError(msg.ok ? "" : msg.text);
      if (msg.ok && msg.action === "say") {
        addLine(msg.id, {who: "officer", officer: root.dataset.officer, text: msg.text});
      }
      document.querySelectorAll("button[disabled]").forEach(function (b) { b.disabled = false; });
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/console/live/ws?centre=" + encodeURIComponent(centre));
    socket.addEventListener("open", function () { retry = 1000; showError(""); });
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function () {
      showError("Mất kết nối với bảng điều khiển, đang kết nối lại…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }
  document.querySelectorAll("button[data-take]").forEach(function (b) {
    b.addEventListener("click", function () { b.disabled = true; send({type: "take", id: Number(b.dataset.take)}); });
  });
  document.getElementById("held").textContent = "";  // the socket sends every held conversation afresh
  connect();
}());
