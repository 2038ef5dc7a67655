/*
 * Trợ lý Dịch vụ công: chat widget for any portal page.
 *
 *   <script src="https://tro-ly.example.gov.vn/widget.js"
 *           data-server="https://tro-ly.example.gov.vn:5005" defer></script>
 *
 * Talks to Rasa's socket.io channel with the socket.io client served beside
 * this file (installed from npm by `make setup`). Everything the bot or the
 * user wrote is put into the page as text nodes, never as HTML, so markup in
 * a message is shown, not run.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var base = script ? new URL(".", script.src).href : "/";
  var server = (script && script.getAttribute("data-server")) || window.location.protocol + "//" + window.location.hostname + ":5005";
  var STORE = "tro-ly-dvc:" + server;
  var MAX_KEPT = 100;
  var TYPING_TIMEOUT_MS = 20000;

  var TEXT = {
    title: "Trợ lý Dịch vụ công",
    open: "Mở hộp trò chuyện với Trợ lý Dịch vụ công",
    close: "Đóng hộp trò chuyện",
    log: "Các tin nhắn trong cuộc trò chuyện",
    input: "Nhập câu hỏi của bạn",
    placeholder: "Nhập câu hỏi, ví dụ: làm căn cước cần giấy tờ gì",
    send: "Gửi",
    typing: "Trợ lý đang trả lời…",
    offline: "Mất kết nối tới máy chủ, đang thử kết nối lại…",
    welcome: "Xin chào! Bạn cần hỏi về thủ tục hành chính nào? Bạn cũng có thể tra cứu hồ sơ đã nộp.",
    you: "Bạn",
    bot: "Trợ lý",
    options: "Lựa chọn"
  };

  // ------------------------------------------------------------------ state kept across reloads
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORE) || "{}");
      return { sessionId: saved.sessionId || null, messages: Array.isArray(saved.messages) ? saved.messages : [], open: !!saved.open };
    } catch (e) {
      return { sessionId: null, messages: [], open: false };
    }
  }
  var state = load();

  function save() {
    try {
      state.messages = state.messages.slice(-MAX_KEPT);
      window.localStorage.setItem(STORE, JSON.stringify(state));
    } catch (e) { /* private mode or full storage: the chat still works, it just forgets */ }
  }

  // ------------------------------------------------------------------ DOM helpers (text only)
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  var URL_RE = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]])/g;

  // A line of text with its web addresses as links; everything stays a text node.
  function inline(line) {
    var frag = document.createDocumentFragment();
    var last = 0;
    line.replace(URL_RE, function (url, _m, offset) {
      frag.appendChild(document.createTextNode(line.slice(last, offset)));
      frag.appendChild(el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: url }));
      last = offset + url.length;
      return url;
    });
    frag.appendChild(document.createTextNode(line.slice(last)));
    return frag;
  }

  // Paragraphs, "1. …" numbered lists and "- …" bullet lists, from plain text.
  function formatted(text) {
    var box = el("div", { "class": "tl-text" });
    var list = null;
    var kind = null;
    String(text || "").split("\n").forEach(function (raw) {
      var line = raw.replace(/\s+$/, "");
      var numbered = /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
      var bullet = /^\s*[-•]\s+(.*)$/.exec(line);
      var want = numbered ? "ol" : bullet ? "ul" : null;
      if (want !== kind) { list = want ? el(want) : null; kind = want; if (list) box.appendChild(list); }
      if (numbered) {
        if (!list.children.length) list.setAttribute("start", numbered[1]);
        list.appendChild(el("li", {}, [inline(numbered[2])]));
      } else if (bullet) {
        list.appendChild(el("li", {}, [inline(bullet[1])]));
      } else if (line) {
        box.appendChild(el("p", {}, [inline(line)]));
      }
    });
    return box;
  }

  // ------------------------------------------------------------------ the widget
  var root = el("div", { "class": "tl-root", id: "tro-ly-dvc" });
  var toggle = el("button", { type: "button", "class": "tl-toggle", "aria-label": TEXT.open, "aria-expanded": "false", "aria-controls": "tl-panel" }, [
    el("span", { "aria-hidden": "true", text: "💬" })
  ]);
  var closeBtn = el("button", { type: "button", "class": "tl-close", "aria-label": TEXT.close, text: "×" });
  var log = el("div", { "class": "tl-log", role: "log", "aria-live": "polite", "aria-label": TEXT.log, tabindex: "0" });
  var typing = el("div", { "class": "tl-typing", role: "status", hidden: "" }, [el("span", { text: TEXT.typing })]);
  var status = el("div", { "class": "tl-status", role: "status", hidden: "", text: TEXT.offline });
  var input = el("input", { id: "tl-input", type: "text", "class": "tl-input", maxlength: "2000", autocomplete: "off", placeholder: TEXT.placeholder });
  var form = el("form", { "class": "tl-form" }, [
    el("label", { "for": "tl-input", "class": "tl-visually-hidden", text: TEXT.input }),
    input,
    el("button", { type: "submit", "class": "tl-send", text: TEXT.send })
  ]);
  var panel = el("section", { id: "tl-panel", "class": "tl-panel", role: "dialog", "aria-label": TEXT.title, hidden: "" }, [
    el("header", { "class": "tl-header" }, [el("h2", { text: TEXT.title }), closeBtn]),
    status, log, typing, form
  ]);
  root.appendChild(panel);
  root.appendChild(toggle);

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function render(message) {
    var mine = message.from === "user";
    var bubble = el("div", { "class": "tl-msg " + (mine ? "tl-user" : "tl-bot") }, [
      el("span", { "class": "tl-visually-hidden", text: (mine ? TEXT.you : TEXT.bot) + ": " }),
      formatted(message.text)
    ]);
    log.appendChild(bubble);
    if (message.buttons && message.buttons.length) {
      var group = el("div", { "class": "tl-buttons", role: "group", "aria-label": TEXT.options });
      message.buttons.forEach(function (button) {
        var b = el("button", { type: "button", "class": "tl-button", text: String(button.title || "") });
        b.addEventListener("click", function () { send(String(button.title || ""), String(button.payload || "")); });
        group.appendChild(b);
      });
      log.appendChild(group);
    }
    scrollDown();
  }

  function add(message) {
    state.messages.push(message);
    save();
    render(message);
  }

  var typingTimer = null;
  function showTyping(on) {
    if (on) { typing.hidden = false; clearTimeout(typingTimer); typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS); }
    else { typing.hidden = true; clearTimeout(typingTimer); }
    scrollDown();
  }

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.hidden = open;
    state.open = open;
    save();
    if (open) scrollDown();
    if (moveFocus === false) return;
    if (open) input.focus(); else toggle.focus();
  }

  // ------------------------------------------------------------------ talking to Rasa
  var socket = null;

  function send(shown, payload) {
    var text = String(shown || "").trim();
    if (!text || !socket) return;
    add({ from: "user", text: text });
    showTyping(true);
    socket.emit("user_uttered", { message: payload || text, session_id: state.sessionId });
  }

  function connect() {
    socket = window.io(server, { transports: ["websocket", "polling"], reconnectionDelayMax: 10000 });
    socket.on("connect", function () {
      status.hidden = true;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : sessionId && sessionId.session_id;
      if (id) { state.sessionId = id; save(); }
    });
    socket.on("bot_uttered", function (message) {
      showTyping(false);
      if (!message) return;
      var buttons = (message.quick_replies || message.buttons || []).map(function (b) { return { title: b.title, payload: b.payload }; });
      var text = message.text || (message.attachment && message.attachment.payload && message.attachment.payload.src) || "";
      if (text || buttons.length) add({ from: "bot", text: text, buttons: buttons });
    });
    socket.on("disconnect", function () { status.hidden = false; });
    socket.on("connect_error", function () { status.hidden = false; showTyping(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });
  toggle.addEventListener("click", function () { setOpen(true); });
  closeBtn.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") setOpen(false); });

  function start() {
    var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
    document.head.appendChild(css);
    document.body.appendChild(root);
    if (!state.messages.length) { state.messages.push({ from: "bot", text: TEXT.welcome }); save(); }
    state.messages.forEach(render);
    setOpen(state.open, false);
    if (window.io) { connect(); return; }
    var loader = el("script", { src: base + "vendor/socket.io.min.js" });
    loader.addEventListener("load", connect);
    loader.addEventListener("error", function () { status.hidden = false; });
    document.head.appendChild(loader);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
