/*
 * limit-assistant chat widget. Embed with one tag (see docs/WIDGET.md):
 *   <script src="https://assistant.example/widget.js" data-token="…" data-lang="zh"
 *           data-title="额度助手" defer></script>
 *
 * Everything lives in one shadow root, styled by a constructed stylesheet: no inline script,
 * no eval, no style attributes, no global CSS, one global name (window.LimitAssistantWidget).
 * Answers stream from POST /api/chat (Server-Sent Events read with fetch + ReadableStream).
 * The conversation id and transcript are kept in sessionStorage, so a reload continues it.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.LimitAssistantWidget) return;

  // The server replaces this with the contents of widget.css when it serves widget.js.
  var CSS = /*__WIDGET_CSS__*/ "";

  var TEXTS = {
    zh: {
      title: "额度助手", open: "咨询额度问题", close: "关闭", send: "发送", handoff: "转人工",
      handoffMessage: "转人工", placeholder: "输入您的问题，例如：有额度为什么借不出来",
      welcome: "您好！我可以解释为什么借不出来、额度为什么变了、什么时候能恢复。",
      sources: "依据", demo: "演示模式：数据均为虚构", like: "有帮助", dislike: "没帮助",
      handoffDone: "已为您转接人工客服，客服会尽快联系您。", ticket: "（工单号 {id}）",
      failed: "抱歉，暂时无法回答，请稍后再试。", tooLong: "问题太长了，请精简后再发送。"
    },
    en: {
      title: "Credit line assistant", open: "Ask about your limit", close: "Close", send: "Send",
      handoff: "Talk to a person", handoffMessage: "talk to a person",
      placeholder: "Ask e.g. why can't I borrow although I have a limit?",
      welcome: "Hello! I can explain why you cannot borrow, why your limit changed and when it comes back.",
      sources: "Sources", demo: "Demo mode: all data is made up", like: "Helpful", dislike: "Not helpful",
      handoffDone: "You are being handed to a person; support will contact you soon.", ticket: " (ticket {id})",
      failed: "Sorry, no answer right now. Please try again later.", tooLong: "Your question is too long."
    }
  };
  var MAX_MESSAGE_CHARS = 2000;
  var MAX_STORED_MESSAGES = 60;

  var config = readConfig(script);
  var t = TEXTS[config.lang];
  var storageKey = "limit-assistant:" + config.api + ":" + (config.account || "t" + hash(config.token));
  var state = loadState();
  var ui = null;
  var busy = false;

  function readConfig(tag) {
    var data = tag.dataset;
    var lang = (data.lang || document.documentElement.lang || "zh").toLowerCase().indexOf("en") === 0 ? "en" : "zh";
    var api = (data.api || new URL(tag.src, document.baseURI).origin).replace(/\/+$/, "");
    return {
      api: api, lang: lang, token: data.token || "", account: data.account || "",
      title: data.title || "", position: data.position === "left" ? "left" : "right",
      demo: data.demo === "true" || (!data.token && !!data.account)
    };
  }

  function hash(text) {
    var h = 5381;
    for (var i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }

  // -- state kept across reloads ---------------------------------------------------------------

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* storage blocked or corrupt: start afresh */ }
    return { conversationId: null, open: false, messages: [] };
  }

  function saveState() {
    state.messages = state.messages.slice(-MAX_STORED_MESSAGES);
    try { window.sessionStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  // -- DOM -------------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function adoptStyles(root) {
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
        return;
      } catch (e) { /* old engine: fall back to the stylesheet file */ }
    }
    var link = el("link");
    link.rel = "stylesheet";
    link.href = config.api + "/widget.css";
    root.appendChild(link);
  }

  function build() {
    var host = document.createElement("limit-assistant-widget");
    if (config.position === "left") host.classList.add("la-left");
    var root = host.attachShadow({ mode: "open" });
    adoptStyles(root);

    var wrap = el("div", "la-root");
    wrap.lang = config.lang === "en" ? "en" : "zh-CN";
    var launcher = el("button", "la-launcher", "💬 " + (config.title || t.open));
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");

    var panel = el("section", "la-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", config.title || t.title);
    panel.hidden = true;

    var header = el("div", "la-header");
    var title = el("h2", "la-title", config.title || t.title);
    var handoff = el("button", "la-handoff", t.handoff);
    handoff.type = "button";
    var close = el("button", "la-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", t.close);
    header.append(title, handoff, close);

    var demo = el("p", "la-demo", t.demo);
    demo.hidden = !config.demo;
    var messages = el("ol", "la-messages");
    messages.setAttribute("aria-live", "polite");

    var form = el("form", "la-composer");
    var input = el("input", "la-input");
    input.type = "text";
    input.autocomplete = "off";
    input.placeholder = t.placeholder;
    input.setAttribute("aria-label", t.placeholder);
    input.maxLength = MAX_MESSAGE_CHARS;
    var send = el("button", "la-send", t.send);
    send.type = "submit";
    form.append(input, send);

    panel.append(header, demo, messages, form);
    wrap.append(launcher, panel);
    root.appendChild(wrap);
    (document.body || document.documentElement).appendChild(host);

    ui = { host: host, launcher: launcher, panel: panel, messages: messages, input: input, send: send, handoff: handoff };
    launcher.addEventListener("click", function () { setOpen(true); });
    close.addEventListener("click", function () { setOpen(false); });
    handoff.addEventListener("click", requestHandoff);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(input.value);
    });
  }

  function setOpen(open, quiet) {
    state.open = open;
    saveState();
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (open) scrollDown();
    // Re-opening after a reload must not steal the host page's focus.
    if (open && !quiet) ui.input.focus();
  }

  function scrollDown() { ui.messages.scrollTop = ui.messages.scrollHeight; }

  function renderMessage(message) {
    var item = el("li", "la-msg " + (message.role === "user" ? "la-user" : "la-bot"));
    if (message.error) item.classList.add("la-error");
    var bubble = el("div", "la-bubble", message.text);
    item.appendChild(bubble);
    if (message.sections && message.sections.length) item.appendChild(renderSources(message.sections));
    if (message.role === "bot" && message.turn != null && state.conversationId) item.appendChild(renderFeedback(message));
    ui.messages.appendChild(item);
    scrollDown();
    return { item: item, bubble: bubble };
  }

  function renderSources(sections) {
    var box = el("div", "la-sources");
    box.appendChild(el("p", "la-sources-label", t.sources));
    sections.forEach(function (section) {
      var details = el("details", "la-source");
      details.appendChild(el("summary", null, section.title || section.section_id || ""));
      if (section.text) details.appendChild(el("p", null, section.text));
      box.appendChild(details);
    });
    return box;
  }

  function renderFeedback(message) {
    var box = el("div", "la-feedback");
    [["up", "👍", t.like], ["down", "👎", t.dislike]].forEach(function (option) {
      var button = el("button", null, option[1]);
      button.type = "button";
      button.title = option[2];
      button.setAttribute("aria-label", option[2]);
      button.setAttribute("aria-pressed", String(message.rating === option[0]));
      button.addEventListener("click", function () {
        message.rating = option[0];
        saveState();
        box.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
        postJson("/api/feedback", { conversation_id: state.conversationId, turn: message.turn, rating: option[0] })
          .catch(function () { /* feedback is best effort */ });
      });
      box.appendChild(button);
    });
    return box;
  }

  function renderAll() {
    renderMessage({ role: "bot", text: t.welcome });
    state.messages.forEach(renderMessage);
  }

  // -- talking to the API ----------------------------------------------------------------------

  function headers(accept) {
    var h = { "Content-Type": "application/json", "Accept": accept };
    if (config.token) h["Authorization"] = "Bearer " + config.token;
    return h;
  }

  function postJson(path, body) {
    return fetch(config.api + path, {
      method: "POST", headers: headers("application/json"), body: JSON.stringify(body),
      credentials: "omit", mode: "cors"
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        if (!response.ok) throw new Error(errorMessage(data));
        return data;
      });
    });
  }

  function errorMessage(data) {
    return (data && data.error && data.error.message) || t.failed;
  }

  function chatBody(text) {
    var body = { message: text };
    if (state.conversationId) body.conversation_id = state.conversationId;
    if (config.account && !config.token) body.account_id = config.account;
    return body;
  }

  async function streamChat(text, onDelta) {
    var response = await fetch(config.api + "/api/chat", {
      method: "POST", headers: headers("text/event-stream"), body: JSON.stringify(chatBody(text)),
      credentials: "omit", mode: "cors"
    });
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok || type.indexOf("text/event-stream") !== 0) {
      var data = await response.json().catch(function () { return null; });
      if (!response.ok) throw new Error(errorMessage(data));
      return data;
    }
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    var result = null;
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      var end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        var event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.name === "delta") onDelta(deltaText(event.data));
        else if (event.name === "result") result = JSON.parse(event.data);
        else if (event.name === "error") throw new Error(errorMessage(safeJson(event.data)));
      }
    }
    if (!result) throw new Error(t.failed);
    return result;
  }

  function parseEvent(block) {
    var name = "message";
    var data = [];
    block.split("\n").forEach(function (line) {
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    });
    return { name: name, data: data.join("\n") };
  }

  function safeJson(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function deltaText(data) {
    var value = safeJson(data);
    if (typeof value === "string") return value;
    if (value && typeof value === "object") {
      if (typeof value.text === "string") return value.text;
      if (typeof value.delta === "string") return value.delta;
      if (typeof value.content === "string") return value.content;
    }
    return value === null ? data : "";
  }

  // -- user actions ----------------------------------------------------------------------------

  function setBusy(value) {
    busy = value;
    ui.send.disabled = value;
    ui.handoff.disabled = value;
  }

  async function submit(raw) {
    var text = (raw || "").trim();
    if (!text || busy) return;
    if (text.length > MAX_MESSAGE_CHARS) {
      renderMessage({ role: "bot", text: t.tooLong, error: true });
      return;
    }
    ui.input.value = "";
    var question = { role: "user", text: text };
    state.messages.push(question);
    saveState();
    renderMessage(question);
    await answer(text);
  }

  async function answer(text) {
    setBusy(true);
    var view = renderMessage({ role: "bot", text: "" });
    view.item.classList.add("la-pending");
    var streamed = "";
    try {
      var result = await streamChat(text, function (delta) {
        streamed += delta;
        view.bubble.textContent = streamed;
        scrollDown();
      });
      state.conversationId = result.conversation_id || state.conversationId;
      var reply = {
        role: "bot", text: result.answer || streamed, turn: result.turn,
        sections: (result.sections && result.sections.length ? result.sections : result.citations) || []
      };
      state.messages.push(reply);
      saveState();
      view.item.remove();
      renderMessage(reply);
    } catch (error) {
      view.item.remove();
      renderMessage({ role: "bot", text: error && error.message ? error.message : t.failed, error: true });
    } finally {
      setBusy(false);
    }
  }

  async function requestHandoff() {
    if (busy) return;
    if (!state.conversationId) {
      await submit(t.handoffMessage);
      return;
    }
    setBusy(true);
    try {
      var data = await postJson("/api/handoff", { conversation_id: state.conversationId });
      var ticket = data && data.handoff_id ? t.ticket.replace("{id}", data.handoff_id) : "";
      var reply = {
        role: "bot", text: (data && data.answer) || t.handoffDone + ticket, turn: data ? data.turn : null,
        sections: (data && data.sections) || []
      };
      state.messages.push(reply);
      saveState();
      renderMessage(reply);
    } catch (error) {
      renderMessage({ role: "bot", text: error.message || t.failed, error: true });
    } finally {
      setBusy(false);
    }
  }

  function start() {
    build();
    renderAll();
    setOpen(!!state.open, true);
  }

  window.LimitAssistantWidget = {
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    reset: function () {
      state = { conversationId: null, open: state.open, messages: [] };
      saveState();
      ui.messages.textContent = "";
      renderAll();
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
