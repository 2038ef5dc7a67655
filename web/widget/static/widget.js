/*
 * Trợ lý Dịch vụ công: chat widget for any portal page.
 *
 *   <script src="https://tro-ly.example.gov.vn/widget.js"
 *           data-server="https://tro-ly.example.gov.vn:5005" defer></script>
 *
 * Options (data- attributes on that tag):
 *   data-server         the Rasa server as the browser reaches it (default: this host, port 5005)
 *   data-history-hours  how long the transcript and session id are kept in localStorage after
 *                       the last message, in hours (default 24; fractions allowed). Older
 *                       history is dropped when the page loads, so a shared computer does
 *                       not show one citizen's conversation to the next.
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
  var DEFAULT_HISTORY_HOURS = 24;
  var MAX_TIMER_MS = 2147483647;  // setTimeout's longest delay (about 24.8 days)

  // data-history-hours: a positive number of hours; anything else means the default.
  function historyHours() {
    var raw = script && script.getAttribute("data-history-hours");
    var hours = raw === null || String(raw).trim() === "" ? NaN : Number(raw);
    return isFinite(hours) && hours > 0 ? hours : DEFAULT_HISTORY_HOURS;
  }
  var KEEP_MS = historyHours() * 3600 * 1000;

  var TEXT = {
    title: "Trợ lý Dịch vụ công",
    open: "Mở hộp trò chuyện với Trợ lý Dịch vụ công",
    close: "Đóng hộp trò chuyện",
    log: "Các tin nhắn trong cuộc trò chuyện",
    input: "Nhập câu hỏi của bạn",
    placeholder: "Nhập câu hỏi, ví dụ: làm căn cước cần giấy tờ gì",
    send: "Gửi",
    clear: "Xóa cuộc trò chuyện",
    cleared: "Đã xóa cuộc trò chuyện. Tin nhắn tiếp theo bắt đầu cuộc trò chuyện mới.",
    typing: "Trợ lý đang trả lời…",
    offline: "Mất kết nối tới máy chủ, đang thử kết nối lại…",
    welcome: "Xin chào! Bạn cần hỏi về thủ tục hành chính nào? Bạn cũng có thể tra cứu hồ sơ đã nộp.",
    you: "Bạn",
    bot: "Trợ lý",
    options: "Lựa chọn"
  };

  // ------------------------------------------------------------------ state kept across reloads
  // { sessionId, messages, open, updatedAt: time of the last message (ms), clearedAt: time of
  // the last reset, so other tabs of the same portal forget the old conversation too }
  function parse(text) {
    try {
      var saved = JSON.parse(text || "{}") || {};
      return {
        sessionId: typeof saved.sessionId === "string" && saved.sessionId ? saved.sessionId : null,
        messages: Array.isArray(saved.messages) ? saved.messages : [],
        open: !!saved.open,
        updatedAt: Number(saved.updatedAt) || 0,
        clearedAt: Number(saved.clearedAt) || 0
      };
    } catch (e) {
      return { sessionId: null, messages: [], open: false, updatedAt: 0, clearedAt: 0 };
    }
  }

  // History without a timestamp (kept by older versions of the widget) counts as expired.
  function expired(saved) {
    var age = Date.now() - saved.updatedAt;
    return !(age >= 0 && age < KEEP_MS);
  }

  function forget() {
    try { window.localStorage.removeItem(STORE); } catch (e) { /* storage unavailable: nothing kept */ }
  }

  function load() {
    var saved;
    try { saved = parse(window.localStorage.getItem(STORE)); } catch (e) { saved = parse(null); }
    if (!saved.messages.length && !saved.sessionId) return saved;
    if (expired(saved)) {
      forget();
      return { sessionId: null, messages: [], open: false, updatedAt: 0, clearedAt: Date.now() };
    }
    return saved;
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
  var clearBtn = el("button", { type: "button", "class": "tl-clear", "aria-label": TEXT.clear, title: TEXT.clear, text: TEXT.clear });
  // The clear button's look, set through the CSSOM (allowed under a strict style-src, unlike a style attribute).
  [["flex", "none"], ["marginLeft", "auto"], ["marginRight", "8px"], ["border", "1px solid rgba(255,255,255,.8)"],
   ["borderRadius", "14px"], ["background", "transparent"], ["color", "#fff"], ["font", "inherit"],
   ["fontSize", "12px"], ["lineHeight", "1.2"], ["padding", "3px 8px"], ["cursor", "pointer"]].forEach(function (rule) {
    clearBtn.style[rule[0]] = rule[1];
  });
  var notice = el("div", { "class": "tl-visually-hidden", role: "status" });
  var log = el("div", { "class": "tl-log", role: "log", "aria-live": "polite", "aria-label": TEXT.log, tabindex: "0" });
  var typing = el("div", { "class": "tl-typing", role: "status", hidden: "" }, [el("span", { text: TEXT.typing })]);
  var status = el("div", { "class": "tl-status", role: "status", hidden: "", text: TEXT.offline });
  var input = el("input", { id: "tl-input", type: "text", "class": "tl-input", maxlength: "2000", autocomplete: "off", placeholder: TEXT.placeholder });
  var form = el("form", { "class": "tl-form" }, [
    el("label", { "for": "tl-input", "class": "tl-visually-hidden", text: TEXT.input }),
    input,
    el("button", { type: "submit", "class": "tl-send", text: TEXT.send })
  ]);
  var heading = el("h2", { text: TEXT.title });
  heading.style.minWidth = "0";
  heading.style.marginRight = "8px";
  var panel = el("section", { id: "tl-panel", "class": "tl-panel", role: "dialog", "aria-label": TEXT.title, hidden: "" }, [
    el("header", { "class": "tl-header" }, [heading, clearBtn, closeBtn]),
    status, notice, log, typing, form
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
    state.updatedAt = Date.now();
    save();
    render(message);
    scheduleExpiry();
  }

  // ------------------------------------------------------------------ forgetting the conversation
  // Show `next` (another tab's state, or a fresh one) instead of the current conversation.
  function replaceState(next) {
    state = next;
    log.textContent = "";
    showTyping(false);
    if (!state.messages.length) add({ from: "bot", text: TEXT.welcome });
    else { state.messages.forEach(render); scheduleExpiry(); }
    rejoin();
  }

  // The click on "Xóa cuộc trò chuyện", and history that expires while the page is open.
  function clearConversation() {
    forget();
    replaceState({ sessionId: null, messages: [], open: state.open, updatedAt: 0, clearedAt: Date.now() });
  }

  var expiryTimer = null;
  function scheduleExpiry() {
    clearTimeout(expiryTimer);
    var left = state.updatedAt + KEEP_MS - Date.now();
    expiryTimer = setTimeout(checkExpiry, Math.min(Math.max(left, 0) + 1000, MAX_TIMER_MS));
  }

  // Expired history with something of the citizen's in it; a lone welcome is left alone.
  function stale() {
    return expired(state) && state.messages.some(function (m) { return m && m.from === "user"; });
  }

  function checkExpiry() {
    if (stale()) { clearConversation(); return; }
    if (!expired(state)) { scheduleExpiry(); return; }
    clearTimeout(expiryTimer);
    expiryTimer = setTimeout(checkExpiry, Math.min(KEEP_MS, MAX_TIMER_MS));
  }

  var typingTimer = null;
  function showTyping(on) {
    if (on) { typing.hidden = false; clearTimeout(typingTimer); typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS); }
    else { typing.hidden = true; clearTimeout(typingTimer); }
    scrollDown();
  }

  function setOpen(open, moveFocus) {
    if (open) checkExpiry();
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
    if (stale()) clearConversation();
    add({ from: "user", text: text });
    showTyping(true);
    socket.emit("user_uttered", { message: payload || text, session_id: state.sessionId });
  }

  // Ask for state.sessionId, or for a new session when it is null: the server issues the id
  // and moves this socket out of the old conversation. Sent before any later message (socket.io
  // keeps the order, and buffers both while offline), so the next message is the new session's.
  function rejoin() {
    if (socket) socket.emit("session_request", { session_id: state.sessionId });
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
  clearBtn.addEventListener("click", function () {
    clearConversation();
    notice.textContent = "";
    setTimeout(function () { notice.textContent = TEXT.cleared; }, 50);  // announced even when cleared twice
    input.focus();
  });
  // A conversation cleared (or expired) in another tab of this portal is forgotten here too.
  window.addEventListener("storage", function (event) {
    if (event.key !== STORE || event.newValue === null) return;
    var stored = parse(event.newValue);
    if (stored.clearedAt > state.clearedAt) { stored.open = state.open; replaceState(stored); }
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) checkExpiry(); });
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") setOpen(false); });

  function start() {
    var css = el("link", { rel: "stylesheet", href: base + "widget.css" });
    document.head.appendChild(css);
    document.body.appendChild(root);
    if (!state.messages.length) { state.messages.push({ from: "bot", text: TEXT.welcome }); state.updatedAt = Date.now(); save(); }
    state.messages.forEach(render);
    scheduleExpiry();
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
