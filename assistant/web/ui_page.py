"""The chat page of the web UI (gradio Blocks) and its callbacks; imported only by `mount_ui`.

The page is a header (title, one language radio group, the demo account picker), the
conversation (HTML rendered by ui_render from each answer's typed parts) and the composer
(message box with a counter, send, talk to a person, new chat). The callbacks call the assistant
in-process through `UiBackend` (ui_client). Every visible label comes from ui_texts.yaml in the
language the user picked; an answer's own headings follow the answer's language. Gradio's own
chrome (labels, progress timers, toasts) is not used, so nothing on the page is left unlocalised.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.web.limits import MAX_MESSAGE_CHARS
from assistant.web.ui_client import DemoAccount, UiBackend, UiFailure
from assistant.web.ui_render import esc, render_log, ui_lang, ui_text

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services

log = logging.getLogger("limit_assistant.web.ui")
LANGS = (("zh", "中文", "zh-CN"), ("en", "English", "en"))
State = dict[str, Any]
# The product mark (the favicon's drawing), decorative beside the title.
LOGO_SVG = ('<svg class="la-logo" aria-hidden="true" focusable="false" viewBox="0 0 32 32" width="32" height="32">'
            '<rect width="32" height="32" rx="8" fill="#0b57d0"/><path d="M8 10h16v10H15l-5 4v-4H8z" fill="#fff"/>'
            '<path d="M12 15h8" stroke="#0b57d0" stroke-width="2" stroke-linecap="round"/></svg>')
Outputs = tuple[Any, ...]

# The header's controls report a choice with a custom `pick` event; after gradio re-renders the
# header (new labels), focus goes back to the control that was used.
HEADER_JS = """
const sync = () => {
  const top = element.querySelector('[data-lang-tag]');
  if (top) { document.documentElement.lang = top.dataset.langTag; document.title = top.dataset.title; }
  const again = element.dataset.refocus;
  if (again) { delete element.dataset.refocus; const el = element.querySelector(again); if (el) el.focus(); }
};
element.addEventListener('change', (event) => {
  const target = event.target;
  if (target.name === 'la-lang') {
    element.dataset.refocus = 'input[name="la-lang"]:checked';
    trigger('pick', {kind: 'lang', value: target.value});
  } else if (target.id === 'la-account-select') {
    element.dataset.refocus = '#la-account-select';
    trigger('pick', {kind: 'account', value: target.value});
  }
});
watch('value', sync);
sync();
"""

# One click handler for every button inside the conversation (suggestions, clarify choices,
# retry, feedback). After a re-render the newest question is scrolled to the top of the view, so
# the answer below it is read from its start; a rating keeps the reader where they were.
#
# When the server cannot be reached, gradio's client shows an English "Connection lost" toast
# (hidden by ui.css) and, once the server answers again, reloads the page. So the question being
# sent is kept in sessionStorage until the server has it; a toast becomes our own message in the
# conversation (the page's language, from .la-scroll's data-*) with a retry button, the question
# back in the box; retry checks the server and reloads, and after any reload the page comes back
# with its conversation (ChatPage.on_load, by the tab's id) and the kept question is sent again
# (retry) or put back in the box with a note (gradio's own reload).
LOG_JS = """
const box = () => element.querySelector('.la-scroll');
const field = () => document.querySelector('#la-input textarea');
const KEPT = 'la-ui:question', RESEND = 'la-ui:resend';
const store = window.sessionStorage;
const asked = () => element.querySelectorAll('.la-user .la-bubble');
const keep = (text) => {
  if (text && text.trim()) store.setItem(KEPT, JSON.stringify({text: text.trim(), seen: asked().length}));
};
const kept = () => { try { return JSON.parse(store.getItem(KEPT) || 'null'); } catch (e) { return null; } };
// The server has the kept question once the conversation shows it as a new question.
const received = (question) => {
  const bubbles = asked();
  return bubbles.length > question.seen && bubbles[bubbles.length - 1].textContent === question.text;
};
const putBack = (text) => {
  const input = field();
  if (!input || input.value.trim() === text) return;
  input.value = text;
  input.dispatchEvent(new Event('input', {bubbles: true}));
};
const note = (kind, action) => {
  const scroller = box();
  const log = scroller && scroller.querySelector('.la-log');
  if (!log) return;
  let item = log.querySelector('.la-offline');
  if (item) item.remove();
  item = document.createElement('li');
  item.className = 'la-msg la-bot la-error la-offline';
  const bubble = document.createElement('div');
  bubble.className = 'la-bubble';
  bubble.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = scroller.dataset[kind];
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'la-retry';
  retry.dataset.action = action;
  retry.textContent = scroller.dataset.retry;
  bubble.append(text, retry);
  item.append(bubble);
  log.append(item);
  scroller.scrollTop = scroller.scrollHeight;
};
const lost = () => {
  const question = kept();
  if (question) putBack(question.text);
  // Without a question (a hand-off, a rating, a language switch) there is nothing to keep.
  const again = !!element.querySelector('.la-offline');
  note(question ? (again ? 'offlineAgain' : 'offline') : 'offlinePlain', 'reconnect');
};
const reconnect = async () => {
  const config = window.gradio_config || {};
  const root = (config.root || location.origin + location.pathname).replace(/[/]+$/, '');
  try {
    const response = await fetch(root + (config.api_prefix || '/gradio_api') + '/app_id', {cache: 'no-store'});
    if (!response.ok) throw new Error(String(response.status));
  } catch (error) {
    lost();
    return;
  }
  store.setItem(RESEND, '1');
  location.reload();
};
document.addEventListener('click', (event) => {
  if (event.target.closest && event.target.closest('#la-send') && field()) keep(field().value);
}, true);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.target.closest
      && event.target.closest('#la-input')) keep(event.target.value);
}, true);
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const node of change.addedNodes) {
      if (node.nodeType === 1 && (node.matches('[data-testid="toast-body"]')
          || node.querySelector('[data-testid="toast-body"]'))) { lost(); return; }
    }
  }
}).observe(document.body, {childList: true, subtree: true});
const resume = () => {
  const question = kept();
  if (!question) return;
  if (received(question)) { store.removeItem(KEPT); return; }
  putBack(question.text);
  if (store.getItem(RESEND)) {
    store.removeItem(RESEND);
    setTimeout(() => { const send = document.querySelector('#la-send'); if (send) send.click(); }, 0);
  } else {
    note('reconnected', 'resend');
  }
};
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button || !element.contains(button)) return;
  const data = button.dataset;
  if (data.action === 'reconnect') { reconnect(); return; }
  if (data.action === 'resend') {
    button.closest('.la-offline').remove();
    document.querySelector('#la-send').click();
    return;
  }
  if (data.action === 'send') keep(data.message);
  if (data.action === 'rate') {
    element.dataset.keep = String(box() ? box().scrollTop : 0);
  } else {
    const input = document.querySelector('#la-input textarea');
    if (input) input.focus();
  }
  trigger('act', {action: data.action, message: data.message || '', rating: data.rating || '',
                  turn: data.turn ? Number(data.turn) : null, index: data.index ? Number(data.index) : null});
});
const place = () => {
  const scroller = box();
  if (!scroller) return;
  if (element.dataset.keep !== undefined) {
    scroller.scrollTop = Number(element.dataset.keep);
    delete element.dataset.keep;
    return;
  }
  // The newest exchange heads the view: its question, or the newest answer when it follows
  // another answer (a hand-off asked with the button has no question of its own).
  const items = scroller.querySelectorAll('.la-log > .la-msg');
  let last = items.length ? items[items.length - 1] : null;
  if (last && !last.classList.contains('la-user')) {
    const before = last.previousElementSibling;
    if (before && before.classList.contains('la-user')) last = before;
  }
  scroller.scrollTop = last ? Math.max(0, last.offsetTop - scroller.offsetTop - 8) : 0;
};
let resumed = false;
watch('value', () => {
  const question = kept();
  if (question && received(question)) store.removeItem(KEPT);
  place();
  // The first conversation from the server (after on_load) is where a reload resumes.
  if (!resumed && box() && box().dataset.tab) { resumed = true; resume(); }
  document.dispatchEvent(new Event('la-rendered'));
});
place();
"""

# The tab's id (sessionStorage: one per browser tab, kept across reloads), sent with the page's
# load so the server gives a reloaded page its conversation back. Random bytes, not
# crypto.randomUUID, which plain-http hosts lack.
TAB_JS = """
(state, tab) => {
  let id = window.sessionStorage.getItem('la-ui:tab');
  if (!id) {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    window.sessionStorage.setItem('la-ui:tab', id);
  }
  return [state, id];
}
"""
KEPT_TABS = 500  # tabs whose conversation a reload gets back, newest first (each a few to ~100 kB)

# The character counter under the message box: "12/2000" on screen; in words for a screen reader
# (it describes the message box), as hidden text: aria-label is not for a plain paragraph.
COUNTER_JS = """
const update = () => {
  const input = document.querySelector('#la-input textarea');
  const out = element.querySelector('.la-counter');
  if (!input || !out) return;
  const max = Number(out.dataset.max);
  input.setAttribute('maxlength', String(max));
  input.setAttribute('aria-describedby', 'la-counter');
  const count = input.value.length;
  out.querySelector('.la-count').textContent = out.dataset.short.replace('{count}', count).replace('{max}', max);
  out.querySelector('.la-sr').textContent = out.dataset.long.replace('{count}', count).replace('{max}', max);
  out.classList.toggle('la-near', count >= max * 0.9);
};
document.addEventListener('input', (event) => {
  if (event.target && event.target.closest && event.target.closest('#la-input')) update();
});
// gradio clears the box without an input event: recount whenever the conversation re-renders.
document.addEventListener('la-rendered', () => setTimeout(update, 0));
watch('value', update);
setTimeout(update, 0);
"""


TAB_ID = re.compile(r"[0-9a-f]{32}")


def new_state(lang: str) -> State:
    return {"lang": ui_lang(lang), "account_id": None, "conversation_id": None, "messages": [], "accounts": [],
            "tab": None, "owner": None}


class ChatPage:
    """The gradio Blocks of the chat page and its callbacks."""

    def __init__(self, app: FastAPI, services: Services) -> None:
        self.backend = UiBackend(services, getattr(app.state, "rate_limiter", None))
        self.demo_mode = services.settings.demo_mode
        self.product = {"zh": services.settings.product_name_zh, "en": services.settings.product_name_en}
        self.default_lang = ui_lang(services.settings.lang)
        # Each tab's latest state by its id, so a reload (gradio reloads the page itself after a
        # lost connection) gets its conversation back. In memory: a restarted server starts afresh.
        self.tabs: OrderedDict[str, State] = OrderedDict()

    def title(self, lang: str) -> str:
        title = str(ui_text(lang, "title", product=self.product[ui_lang(lang)]))
        return title[:1].upper() + title[1:]  # "credit line assistant" starts a title: "Credit line …"

    def build(self) -> gr.Blocks:
        lang = self.default_lang
        first = new_state(lang)
        with gr.Blocks(title=self.title(lang), analytics_enabled=False, fill_height=True) as blocks:
            state = gr.State(first)
            tab = gr.Textbox(visible=False, elem_id="la-tab")
            header = gr.HTML(self.header_html(first), elem_id="la-header", js_on_load=HEADER_JS,
                             apply_default_css=False, container=False, padding=False)
            conversation = gr.HTML(self.log_html(first), elem_id="la-conversation", js_on_load=LOG_JS,
                                   apply_default_css=False, container=False, padding=False, autoscroll=False)
            with gr.Row(elem_id="la-composer", equal_height=True):
                message = gr.Textbox(placeholder=ui_text(lang, "input_placeholder"), label=ui_text(lang, "input_label"),
                                     show_label=False, elem_id="la-input", lines=1, max_lines=4, scale=5,
                                     max_length=MAX_MESSAGE_CHARS, container=False, submit_btn=False,
                                     autoscroll=False)
                send = gr.Button(ui_text(lang, "send"), variant="primary", elem_id="la-send", scale=0, min_width=88)
            with gr.Row(elem_id="la-actions", equal_height=True):
                counter = gr.HTML(self.counter_html(lang), elem_id="la-counter-box", js_on_load=COUNTER_JS,
                                  apply_default_css=False, container=False, padding=False)
                handoff = gr.Button(ui_text(lang, "handoff"), elem_id="la-handoff", scale=0, min_width=120)
                new_chat = gr.Button(ui_text(lang, "new_chat"), elem_id="la-new", scale=0, min_width=100)

            relabelled = [state, header, conversation, message, send, handoff, new_chat, counter]
            turn_outputs = [state, conversation, message]
            quiet: dict[str, Any] = {"show_progress": "hidden", "queue": True}
            blocks.load(self.on_load, inputs=[state, tab], outputs=relabelled, js=TAB_JS, **quiet)
            send.click(self.send, inputs=[message, state], outputs=turn_outputs, **quiet)
            message.submit(self.send, inputs=[message, state], outputs=turn_outputs, **quiet)
            conversation.act(self.act, inputs=[state], outputs=turn_outputs, **quiet)  # type: ignore[attr-defined]
            header.pick(self.pick, inputs=[state], outputs=relabelled, **quiet)  # type: ignore[attr-defined]
            handoff.click(self.handoff, inputs=[state], outputs=turn_outputs, **quiet)
            new_chat.click(self.new_chat, inputs=[state], outputs=[state, conversation], **quiet)
        return blocks

    # -- rendering -------------------------------------------------------------------------------

    def header_html(self, state: State) -> str:
        lang = state["lang"]
        radios = "".join(
            f'<label class="la-lang-option" lang="{tag}"><input type="radio" name="la-lang" value="{code}"'
            f'{" checked" if code == lang else ""}><span>{name}</span></label>' for code, name, tag in LANGS)
        badge = f'<p class="la-badge">{esc(ui_text(lang, "demo_badge"))}</p>' if self.demo_mode else ""
        return (
            f'<header class="la-top" data-lang-tag="{esc(ui_text(lang, "lang_tag"))}" data-title="{esc(self.title(lang))}">'
            f'<div class="la-brand">{LOGO_SVG}'
            f'<div><h1>{esc(self.title(lang))}</h1><p class="la-subtitle">{esc(ui_text(lang, "subtitle"))}</p>{badge}</div></div>'
            f'<div class="la-controls"><fieldset class="la-langs"><legend class="la-sr">{esc(ui_text(lang, "language"))}</legend>'
            f'{radios}</fieldset>{self.account_picker(state)}</div></header>'
        )

    def account_picker(self, state: State) -> str:
        if not self.demo_mode:
            return ""
        lang = state["lang"]
        accounts = [DemoAccount(a["account_id"], a["description"]) for a in state["accounts"]]
        options = "".join(
            f'<option value="{esc(a.account_id)}"{" selected" if a.account_id == state["account_id"] else ""}>'
            f'{esc(a.account_id)} — {esc(a.description[lang])}</option>' for a in accounts)
        return (f'<label class="la-account" for="la-account-select">{esc(ui_text(lang, "account_demo"))}</label>'
                f'<select id="la-account-select">{options}</select>')

    def log_html(self, state: State) -> str:
        lang = state["lang"]
        # What the page's script says in the conversation when the server cannot be reached.
        offline = "".join(f' data-{name}="{esc(ui_text(lang, key))}"' for name, key in (
            ("offline", "error_offline"), ("offline-again", "error_offline_again"),
            ("offline-plain", "error_offline_plain"),
            ("reconnected", "reconnected"), ("retry", "retry")))
        tab = f' data-tab="{esc(state["tab"])}"' if state.get("tab") else ""
        return (f'<div class="la-scroll" tabindex="0" role="region" aria-label="{esc(ui_text(lang, "conversation"))}"'
                f'{offline}{tab}>{render_log(state["messages"], lang, self.product[lang])}</div>')

    def counter_html(self, lang: str) -> str:
        return (f'<p id="la-counter" class="la-counter" data-max="{MAX_MESSAGE_CHARS}" '
                f'data-short="{esc(ui_text(lang, "counter", count="{count}", max="{max}"))}" '
                f'data-long="{esc(ui_text(lang, "counter_label", count="{count}", max="{max}"))}">'
                f'<span class="la-count" aria-hidden="true">0/{MAX_MESSAGE_CHARS}</span>'
                f'<span class="la-sr">{esc(ui_text(lang, "counter_label", count=0, max=MAX_MESSAGE_CHARS))}</span></p>')

    def relabel(self, state: State) -> Outputs:
        self._remember(state)
        lang = state["lang"]
        return (
            state, self.header_html(state), self.log_html(state),
            gr.update(placeholder=ui_text(lang, "input_placeholder"), label=ui_text(lang, "input_label")),
            gr.update(value=ui_text(lang, "send")), gr.update(value=ui_text(lang, "handoff")),
            gr.update(value=ui_text(lang, "new_chat")), self.counter_html(lang),
        )

    # -- callbacks -------------------------------------------------------------------------------

    def on_load(self, state: State, tab: str | None, request: gr.Request) -> Outputs:
        """The language from ?lang= (else the default), the demo accounts, a token check; a
        reloaded tab gets its conversation back (the same caller only)."""
        lang = ui_lang(request.query_params.get("lang") or state["lang"])
        tab = tab if isinstance(tab, str) and TAB_ID.fullmatch(tab) else None
        owner = _token(request) or ""
        saved = self.tabs.get(tab) if tab else None
        if saved is not None and saved["owner"] == owner:
            return self.relabel(saved)
        state = {**new_state(lang), "tab": tab, "owner": owner}
        if self.demo_mode:
            accounts = self.backend.demo_accounts()
            state["accounts"] = [{"account_id": a.account_id, "description": a.description} for a in accounts]
            state["account_id"] = accounts[0].account_id if accounts else None
        else:
            try:
                self.backend.caller(_token(request), _host(request))
            except UiFailure as failure:
                state["messages"] = [{"role": "error", "key": failure.key}]
        return self.relabel(state)

    def pick(self, state: State, event: gr.EventData) -> Outputs:
        """The language or the demo account was changed in the header."""
        data = event._data or {}
        if data.get("kind") == "lang":
            state = {**state, "lang": ui_lang(data.get("value"))}
        elif data.get("kind") == "account" and data.get("value") != state["account_id"]:
            # A conversation belongs to one account: another account starts a new one.
            state = {**state, "account_id": data.get("value"), "conversation_id": None, "messages": []}
        return self.relabel(state)

    def send(self, text: str, state: State, request: gr.Request) -> Iterator[Outputs]:
        """The message box's question."""
        question = (text or "").strip()
        if not question:
            yield state, gr.update(), gr.update()
            return
        yield from self._turn(state, question, request)

    def act(self, state: State, event: gr.EventData, request: gr.Request) -> Iterator[Outputs]:
        """A button in the conversation: a suggestion or clarify choice, retry, or a rating."""
        data = event._data or {}
        action = data.get("action")
        if action == "send" and data.get("message"):
            yield from self._turn(state, str(data["message"]), request)
        elif action == "retry" and isinstance(data.get("index"), int):
            yield from self._retry(state, data["index"], request)
        elif action == "rate" and data.get("rating") in ("up", "down"):
            yield self._rate(state, data.get("turn"), data["rating"], request)
        else:
            yield state, gr.update(), gr.update()

    def handoff(self, state: State, request: gr.Request) -> Iterator[Outputs]:
        """Talk to a person: the conversation's case number (the same one when asked again)."""
        messages = list(state["messages"])
        yield self._show({**state, "messages": [*messages, {"role": "pending"}]}, message=gr.update())
        try:
            caller = self.backend.caller(_token(request), _host(request))
            parts = self.backend.handoff(caller, account_id=state["account_id"],
                                         conversation_id=state["conversation_id"],
                                         words=ui_text(state["lang"], "handoff"))
            state = self._answered(state, messages, parts)
        except UiFailure as failure:
            state = {**state, "messages": [*messages, _error(failure, None)]}
        yield self._show(state, message=gr.update())

    def new_chat(self, state: State) -> tuple[State, str]:
        state = {**state, "conversation_id": None, "messages": []}
        self._remember(state)
        return state, self.log_html(state)

    # -- helpers ---------------------------------------------------------------------------------

    def _turn(self, state: State, question: str, request: gr.Request, *,
              messages: list[dict[str, Any]] | None = None) -> Iterator[Outputs]:
        messages = [*(state["messages"] if messages is None else messages), {"role": "user", "text": question}]
        yield self._show({**state, "messages": [*messages, {"role": "pending"}]}, message="")
        restore: Any = gr.update()
        try:
            caller = self.backend.caller(_token(request), _host(request))
            parts = self.backend.ask(caller, question, account_id=state["account_id"],
                                     conversation_id=state["conversation_id"])
            state = self._answered(state, messages, parts)
        except UiFailure as failure:
            state = {**state, "messages": [*messages, _error(failure, question)]}
            if not failure.retry:
                restore = question  # a question to reword goes back into the box
        yield self._show(state, message=restore)

    def _retry(self, state: State, index: int, request: gr.Request) -> Iterator[Outputs]:
        messages = state["messages"]
        if not 0 < index < len(messages) or not messages[index].get("retry"):
            yield state, gr.update(), gr.update()
            return
        question = messages[index]["retry"]
        # The kept question is sent again in place of the failed attempt (its bubble and error).
        yield from self._turn(state, question, request, messages=messages[:index - 1])

    def _rate(self, state: State, turn: Any, rating: str, request: gr.Request) -> Outputs:
        if not isinstance(turn, int) or not state["conversation_id"]:
            return state, gr.update(), gr.update()
        try:
            caller = self.backend.caller(_token(request), _host(request))
            self.backend.feedback(caller, state["conversation_id"], turn, rating)
        except UiFailure:
            return state, gr.update(), gr.update()  # feedback is best effort
        messages = [{**m, "rating": rating} if m.get("turn") == turn and m["role"] == "bot" else m
                    for m in state["messages"]]
        return self._show({**state, "messages": messages}, message=gr.update())

    @staticmethod
    def _answered(state: State, messages: list[dict[str, Any]], parts: dict[str, Any]) -> State:
        bot = {"role": "bot", "parts": parts, "turn": parts.get("turn"), "rating": None}
        return {**state, "messages": [*messages, bot], "conversation_id": parts.get("conversation_id")}

    def _show(self, state: State, *, message: Any) -> Outputs:
        self._remember(state)
        return state, self.log_html(state), message

    def _remember(self, state: State) -> None:
        """Keep the tab's state for a reload; a pending answer is not kept (it never arrives)."""
        if not state.get("tab"):
            return
        messages = [m for m in state["messages"] if m["role"] != "pending"]
        self.tabs[state["tab"]] = {**state, "messages": messages}
        self.tabs.move_to_end(state["tab"])
        while len(self.tabs) > KEPT_TABS:
            self.tabs.popitem(last=False)


def _error(failure: UiFailure, question: str | None) -> dict[str, Any]:
    values = {"max": MAX_MESSAGE_CHARS} if failure.key == "error_too_long" else {}
    return {"role": "error", "key": failure.key, "values": values, "retry": question if failure.retry else None}


def _token(request: gr.Request) -> str | None:
    return request.query_params.get("token") if request is not None else None


def _host(request: gr.Request) -> str:
    client = getattr(request, "client", None)
    return client.host if client is not None and client.host else "127.0.0.1"
