/*
 * limit-assistant chat widget. Embed with one tag (see docs/WIDGET.md):
 *   <script src="https://assistant.example/widget.js" data-token="…" data-lang="zh" defer></script>
 *
 * Everything lives in one shadow root, styled by a constructed stylesheet: no inline script,
 * no eval, no style attributes, no global CSS, one global name (window.LimitAssistantWidget).
 * Answers stream from POST /api/chat (Server-Sent Events read with fetch + ReadableStream).
 * The conversation id and transcript are kept in sessionStorage, so a reload continues it.
 * The panel is a modal dialog (aria-modal, focus kept inside, Escape closes it and focus goes
 * back to the launcher); on small screens it fills the screen.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.LimitAssistantWidget) return;

  // The server replaces these with widget.css and the deployment's product names when it
  // serves widget.js.
  var CSS = /*__WIDGET_CSS__*/ "";
  var SERVER = /*__WIDGET_CONFIG__*/ {};

  var TEXTS = {
    zh: {
      title: "{product}额度助手", open: "咨询额度问题", close: "关闭", send: "发送", handoff: "转人工",
      placeholder: "输入您的问题…", inputLabel: "您的问题",
      welcome: "您好，我是{product}额度助手。我可以用您账户的实际情况，解释为什么借不出来、额度为什么变了、什么时候能恢复。",
      sources: "依据条款（点开查看原文）", demo: "演示模式：数据均为虚构", like: "有帮助", dislike: "没帮助",
      feedback: "这个回答有帮助吗？", clarify: "您是想问：", caseNumber: "工单号", retry: "重试",
      counter: "已输入 {count} 个字，最多 {max} 个字", thinking: "正在查询您的账户…",
      failed: "抱歉，暂时没能回答您的问题。您的问题已保留，请点“重试”再发送一次。",
      offline: "网络连接好像断了。您的问题已保留，请检查网络后点“重试”。",
      tooLong: "问题太长了（最多 {max} 个字），请精简后再发送。",
      unreadable: "抱歉，没能看懂这条消息，请换个说法再试。",
      rateLimited: "您发送得有点快，请稍等片刻再试。",
      session: "登录已过期，请刷新页面后再试。",
      notFound: "这段对话已无法继续，请刷新页面重新开始。"
    },
    en: {
      title: "{Product} assistant", open: "Ask about your limit", close: "Close", send: "Send",
      handoff: "Talk to a person", placeholder: "Ask about your credit line…", inputLabel: "Your question",
      welcome: "Hello, I am the {product} assistant. Using your own account, I can explain why you cannot borrow, why your limit changed and when it comes back.",
      sources: "Sources (click to read)", demo: "Demo mode: all data is made up", like: "Helpful",
      dislike: "Not helpful", feedback: "Was this answer helpful?", clarify: "Did you mean:",
      caseNumber: "Case number", retry: "Try again", counter: "{count} of at most {max} characters",
      thinking: "Checking your account…",
      failed: "Sorry, I could not answer just now. Your question is kept: press \"Try again\" to send it again.",
      offline: "The connection seems to be down. Your question is kept: check your network and press \"Try again\".",
      tooLong: "Your question is too long (at most {max} characters). Please shorten it.",
      unreadable: "Sorry, I could not read that message. Please put it another way.",
      rateLimited: "You are sending messages a little fast. Please wait a moment and try again.",
      session: "Your session has expired. Please reload the page.",
      notFound: "This conversation cannot be continued. Please reload the page to start again."
    }
  };
  var MAX_MESSAGE_CHARS = SERVER.maxMessageChars || 2000;
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

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] != null ? String(values[name]) : all;
    });
  }

  // The product name comes from the server's configuration; a host's data-title still wins.
  function product(lang) {
    var names = SERVER.product || {};
    return names[lang] || (lang === "en" ? "credit line" : "借呗");
  }

  function productTitle() {
    if (config.title) return config.title;
    var name = product(config.lang);
    return fill(t.title, { product: name, Product: name.charAt(0).toUpperCase() + name.slice(1) });
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
    state.messages = state.messages.filter(function (m) { return !m.error; }).slice(-MAX_STORED_MESSAGES);
    try { window.sessionStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  // -- DOM -------------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function button(className, text, label) {
    var node = el("button", className, text);
    node.type = "button";
    if (label) node.setAttribute("aria-label", label);
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
    var launcher = button("la-launcher", config.title || t.open);
    launcher.setAttribute("aria-haspopup", "dialog");
    launcher.setAttribute("aria-expanded", "false");

    var panel = el("section", "la-panel");
    panel.id = "la-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "la-title");
    launcher.setAttribute("aria-controls", "la-panel");
    panel.hidden = true;

    var header = el("div", "la-header");
    var title = el("h2", "la-title", productTitle());
    title.id = "la-title";
    var handoff = button("la-handoff", t.handoff);
    var close = button("la-close", "×", t.close);
    header.append(title, handoff, close);

    var demo = el("p", "la-demo", t.demo);
    demo.hidden = !config.demo;
    var messages = el("ol", "la-messages");
    messages.setAttribute("aria-live", "polite");
    messages.setAttribute("tabindex", "0");
    messages.setAttribute("aria-label", productTitle());

    var form = el("form", "la-composer");
    var input = el("textarea", "la-input");
    input.rows = 1;
    input.autocomplete = "off";
    input.placeholder = t.placeholder;
    input.setAttribute("aria-label", t.inputLabel);
    input.setAttribute("aria-describedby", "la-counter");
    input.maxLength = MAX_MESSAGE_CHARS;
    var send = el("button", "la-send", t.send);
    send.type = "submit";
    // "12/2000" on screen, in words for a screen reader (aria-label is not for a plain paragraph).
    var counter = el("p", "la-counter");
    counter.id = "la-counter";
    var shownCount = el("span", "la-count", "0/" + MAX_MESSAGE_CHARS);
    shownCount.setAttribute("aria-hidden", "true");
    counter.append(shownCount, el("span", "la-sr", fill(t.counter, { count: 0, max: MAX_MESSAGE_CHARS })));
    form.append(input, send, counter);

    panel.append(header, demo, messages, form);
    wrap.append(launcher, panel);
    root.appendChild(wrap);
    (document.body || document.documentElement).appendChild(host);

    ui = { host: host, root: root, launcher: launcher, panel: panel, messages: messages, input: input,
           send: send, handoff: handoff, counter: counter };
    launcher.addEventListener("click", function () { setOpen(true); });
    close.addEventListener("click", function () { setOpen(false); });
    handoff.addEventListener("click", requestHandoff);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(input.value);
    });
    input.addEventListener("input", updateCounter);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit(input.value);
      }
    });
    panel.addEventListener("keydown", onPanelKey);
  }

  function updateCounter() {
    var count = ui.input.value.length;
    ui.counter.querySelector(".la-count").textContent = count + "/" + MAX_MESSAGE_CHARS;
    ui.counter.querySelector(".la-sr").textContent = fill(t.counter, { count: count, max: MAX_MESSAGE_CHARS });
    ui.counter.classList.toggle("la-near", count >= MAX_MESSAGE_CHARS * 0.9);
  }

  // A modal dialog: Escape closes it, Tab stays inside it.
  function onPanelKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      setOpen(false);
      return;
    }
    if (event.key !== "Tab") return;
    var focusable = Array.prototype.filter.call(
      ui.panel.querySelectorAll("button, textarea, summary, [tabindex='0']"),
      function (node) { return !node.disabled && node.getClientRects().length > 0; });
    if (!focusable.length) return;
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    var active = ui.root.activeElement;
    if (event.shiftKey && active === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && active === last) { event.preventDefault(); first.focus(); }
  }

  function setOpen(open, quiet) {
    var wasOpen = state.open;
    state.open = open;
    saveState();
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    ui.host.classList.toggle("la-open", open);
    if (open) revealLatest();
    // Re-opening after a reload must not steal the host page's focus.
    if (open && !quiet) ui.input.focus();
    if (!open && wasOpen && !quiet) ui.launcher.focus();
  }

  function scrollDown() { ui.messages.scrollTop = ui.messages.scrollHeight; }

  // An answer is read from its start: its question (or the answer itself, for a hand-off) is
  // brought to the top of the messages, never scrolled past while the answer streams in.
  function reveal(item) {
    if (!item) return;
    var offset = item.getBoundingClientRect().top - ui.messages.getBoundingClientRect().top;
    ui.messages.scrollTop = Math.max(0, ui.messages.scrollTop + offset - 8);
  }

  function revealLatest() {
    var questions = ui.messages.querySelectorAll(".la-user");
    if (questions.length) reveal(questions[questions.length - 1]);
    else scrollDown();
  }

  function renderMessage(message) {
    var item = el("li", "la-msg " + (message.role === "user" ? "la-user" : "la-bot"));
    if (message.error) item.classList.add("la-error");
    var answerTexts = TEXTS[message.lang === "en" ? "en" : message.lang === "zh" ? "zh" : config.lang];
    if (message.lang) item.lang = message.lang === "en" ? "en" : "zh-CN";
    var bubble = el("div", "la-bubble", message.text);
    if (message.error) bubble.setAttribute("role", "alert");
    item.appendChild(bubble);
    if (message.caseNumber) {
      var chip = el("p", "la-case");
      chip.append(el("span", null, answerTexts.caseNumber + " "), el("strong", "la-case-id", message.caseNumber));
      item.appendChild(chip);
    }
    if (message.retry) item.appendChild(renderRetry(message, item));
    if (message.clarify && message.clarify.length) item.appendChild(renderClarify(message.clarify, answerTexts));
    if (message.sections && message.sections.length) item.appendChild(renderSources(message.sections, answerTexts));
    if (message.role === "bot" && message.turn != null && state.conversationId) item.appendChild(renderFeedback(message));
    ui.messages.appendChild(item);
    if (message.role === "user" || message.error) scrollDown();
    return { item: item, bubble: bubble };
  }

  function renderRetry(message, item) {
    var retry = button("la-retry", t.retry);
    retry.addEventListener("click", function () {
      if (busy) return;
      item.remove();
      answer(message.retry);
    });
    return retry;
  }

  function renderClarify(options, texts) {
    var box = el("div", "la-clarify");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", texts.clarify);
    box.appendChild(el("p", "la-clarify-label", texts.clarify));
    options.forEach(function (option) {
      var choice = button("la-choice", option.label);
      choice.addEventListener("click", function () { submit(option.message); });
      box.appendChild(choice);
    });
    return box;
  }

  function renderSources(sections, texts) {
    var box = el("div", "la-sources");
    box.appendChild(el("p", "la-sources-label", texts.sources));
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
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", t.feedback);
    [["up", t.like], ["down", t.dislike]].forEach(function (option) {
      var rate = button("la-rate la-rate-" + option[0], option[1]);
      rate.setAttribute("aria-pressed", String(message.rating === option[0]));
      rate.addEventListener("click", function () {
        message.rating = option[0];
        saveState();
        box.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === rate)); });
        postJson("/api/feedback", { conversation_id: state.conversationId, turn: message.turn, rating: option[0] })
          .catch(function () { /* feedback is best effort */ });
      });
      box.appendChild(rate);
    });
    return box;
  }

  function renderAll() {
    renderMessage({ role: "bot", text: fill(t.welcome, { product: product(config.lang) }) });
    state.messages.forEach(renderMessage);
  }

  // -- talking to the API ----------------------------------------------------------------------

  // What the customer reads for a failed request: never the server's own (technical) message.
  function failure(status) {
    if (status === 0) return { text: t.offline, retry: true };
    if (status === 401) return { text: t.session };
    if (status === 403 || status === 404) return { text: t.notFound };
    if (status === 413 || status === 422) return { text: t.unreadable };
    if (status === 429) return { text: t.rateLimited, retry: true };
    return { text: t.failed, retry: true };
  }

  function RequestFailed(status) { this.status = status; }

  function headers(accept) {
    var h = { "Content-Type": "application/json", "Accept": accept };
    if (config.token) h["Authorization"] = "Bearer " + config.token;
    return h;
  }

  function request(path, body, accept) {
    return fetch(config.api + path, {
      method: "POST", headers: headers(accept), body: JSON.stringify(body), credentials: "omit", mode: "cors"
    }).catch(function () { throw new RequestFailed(0); });
  }

  function postJson(path, body) {
    return request(path, body, "application/json").then(function (response) {
      if (!response.ok) throw new RequestFailed(response.status);
      return response.json();
    });
  }

  function chatBody(text) {
    var body = { message: text };
    if (state.conversationId) body.conversation_id = state.conversationId;
    if (config.account && !config.token) body.account_id = config.account;
    return body;
  }

  async function streamChat(text, onDelta) {
    var response = await request("/api/chat", chatBody(text), "text/event-stream");
    var type = response.headers.get("Content-Type") || "";
    if (!response.ok) throw new RequestFailed(response.status);
    if (type.indexOf("text/event-stream") !== 0) return response.json();
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    var result = null;
    for (;;) {
      var chunk;
      try { chunk = await reader.read(); } catch (e) { throw new RequestFailed(0); }
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
      var end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        var event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event.name === "delta") onDelta(deltaText(event.data));
        else if (event.name === "result") result = JSON.parse(event.data);
        else if (event.name === "error") throw new RequestFailed(500);
      }
    }
    if (!result) throw new RequestFailed(0);
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

  function deltaText(data) {
    try {
      var value = JSON.parse(data);
      return value && typeof value.text === "string" ? value.text : "";
    } catch (e) { return ""; }
  }

  function replyOf(result, streamed) {
    var sections = (result.sections && result.sections.length ? result.sections : result.citations) || [];
    return {
      role: "bot", text: withoutSourcesLine(result.answer || streamed, sections), turn: result.turn,
      lang: result.lang, caseNumber: result.handoff ? result.handoff_id : null, clarify: result.clarify || [],
      sections: sections
    };
  }

  // The answer's "依据：《…》" / "Sources: …" line names the sections listed under it, which open
  // to their text: the line is left out so the sources are shown once (as /ui does).
  function withoutSourcesLine(text, sections) {
    var titles = sections.map(function (s) { return s.title || ""; }).filter(Boolean)
      .sort(function (a, b) { return b.length - a.length; });
    if (!titles.length) return text;
    return text.split("\n").filter(function (line) {
      if (!titles.some(function (title) { return line.indexOf(title) >= 0; })) return true;
      var rest = line.trim().replace(/^[^：:《“"]{1,16}[：:]\s*/, "");
      titles.forEach(function (title) { rest = rest.split(title).join(""); });
      return rest.replace(/[\s《》“”"'、，,;；。.]+/g, "") !== "";
    }).join("\n");
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
      renderMessage({ role: "bot", text: fill(t.tooLong, { max: MAX_MESSAGE_CHARS }), error: true });
      return;
    }
    ui.input.value = "";
    updateCounter();
    var question = { role: "user", text: text };
    state.messages.push(question);
    saveState();
    renderMessage(question);
    await answer(text);
  }

  async function answer(text) {
    setBusy(true);
    var view = renderMessage({ role: "bot", text: t.thinking });
    view.item.classList.add("la-pending");
    var streamed = "";
    try {
      var asked = view.item.previousElementSibling;
      reveal(asked);
      var result = await streamChat(text, function (delta) {
        streamed += delta;
        view.bubble.textContent = streamed;
        reveal(asked);
      });
      state.conversationId = result.conversation_id || state.conversationId;
      var reply = replyOf(result, streamed);
      state.messages.push(reply);
      saveState();
      view.item.remove();
      renderMessage(reply);
      reveal(asked);
    } catch (error) {
      view.item.remove();
      var failed = failure(error instanceof RequestFailed ? error.status : 500);
      renderMessage({ role: "bot", text: failed.text, error: true, retry: failed.retry ? text : null });
    } finally {
      setBusy(false);
    }
  }

  async function requestHandoff() {
    if (busy) return;
    setBusy(true);
    try {
      var body = state.conversationId ? { conversation_id: state.conversationId } : null;
      var data = body ? await postJson("/api/handoff", body)
                      : await streamChat(t.handoff, function () {});  // no conversation yet: ask in words
      state.conversationId = data.conversation_id || state.conversationId;
      var reply = replyOf(data, "");
      state.messages.push(reply);
      saveState();
      reveal(renderMessage(reply).item);
    } catch (error) {
      var failed = failure(error instanceof RequestFailed ? error.status : 500);
      renderMessage({ role: "bot", text: failed.text, error: true });
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
