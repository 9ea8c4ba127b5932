"""The chat page of the web UI (gradio Blocks) and its callbacks; imported only by `mount_ui`.

Every action goes through the HTTP API routes, in-process (see ui_client): /api/accounts for the
demo account picker, /api/chat (streamed) for answers, /api/feedback for likes and dislikes,
/api/handoff for "talk to a person".
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.web.ui_client import ApiReply, InProcessApi, delta_text
from assistant.web.ui_render import render_details, ui_text

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.services import Services

log = logging.getLogger("limit_assistant.web.ui")
LANG_CHOICES = [("中文", "zh"), ("English", "en")]
# Chatbot history in gradio's "messages" format.
History = list[dict[str, Any]]


class ChatPage:
    """The gradio Blocks of the chat page and its callbacks."""

    def __init__(self, app: FastAPI, services: Services) -> None:
        self.app = app
        self.demo_mode = services.settings.demo_mode
        self.policy = services.policy
        self.product = {"zh": services.settings.product_name_zh, "en": services.settings.product_name_en}
        self.default_lang = services.settings.lang

    def build(self) -> gr.Blocks:
        lang = self.default_lang
        with gr.Blocks(title=ui_text(lang, "title", product=self.product[lang]), analytics_enabled=False) as blocks:
            state = gr.State(_new_state())
            with gr.Row():
                header = gr.Markdown(self._header(lang), elem_id="la-header")
                lang_radio = gr.Radio(LANG_CHOICES, value=lang, label=ui_text(lang, "language"),
                                      elem_id="la-lang", scale=0, min_width=200)
            account = gr.Dropdown(choices=[], label=ui_text(lang, "account"), visible=self.demo_mode,
                                  elem_id="la-account", interactive=True)
            chatbot = gr.Chatbot(value=[], label=ui_text(lang, "chat_label"), elem_id="la-chat",
                                 height=520, latex_delimiters=[], buttons=["copy"])
            with gr.Row():
                message = gr.Textbox(placeholder=ui_text(lang, "input_placeholder"), show_label=False,
                                     elem_id="la-input", scale=5, max_lines=4, submit_btn=False)
                send = gr.Button(ui_text(lang, "send"), variant="primary", elem_id="la-send", scale=1)
            with gr.Row():
                handoff = gr.Button(ui_text(lang, "handoff"), elem_id="la-handoff", size="sm")
                new_chat = gr.Button(ui_text(lang, "new_chat"), elem_id="la-new", size="sm")
            examples = gr.Dataset(components=[message], samples=[[q] for q in ui_text(lang, "examples")],
                                  elem_id="la-examples", label=ui_text(lang, "examples_label"))

            blocks.load(self.load_accounts, inputs=[lang_radio], outputs=[account])
            chat_in, chat_out = [message, chatbot, state, lang_radio, account], [message, chatbot, state]
            send.click(self.chat, inputs=chat_in, outputs=chat_out)
            message.submit(self.chat, inputs=chat_in, outputs=chat_out)
            examples.click(lambda sample: sample[0], inputs=[examples], outputs=[message])
            chatbot.like(self.feedback, inputs=[state, lang_radio], outputs=None)
            handoff.click(self.handoff, inputs=[chatbot, state, lang_radio, account], outputs=[chatbot, state])
            new_chat.click(lambda: ([], _new_state()), outputs=[chatbot, state])
            chatbot.clear(_new_state, outputs=[state])
            account.change(lambda: ([], _new_state()), outputs=[chatbot, state])
            lang_radio.change(self.relabel, inputs=[lang_radio],
                              outputs=[header, lang_radio, account, chatbot, message, send, handoff, new_chat, examples])
        return blocks

    # -- callbacks ---------------------------------------------------------------------------

    async def load_accounts(self, lang: str, request: gr.Request) -> Any:
        """Fill the demo account picker from /api/accounts ("id — one-line description")."""
        if not self.demo_mode:
            return gr.update(visible=False)
        reply = await self._api(request).get("/api/accounts")
        accounts = _account_rows(reply.body) if reply.ok else []
        choices = [(f"{a['account_id']} — {_description(a, lang)}", a["account_id"]) for a in accounts]
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    async def chat(self, message: str, history: History, state: dict[str, Any], lang: str,
                   account_id: str | None, request: gr.Request) -> AsyncIterator[tuple[Any, History, dict[str, Any]]]:
        """Stream one answer from /api/chat into the chat, then add its details."""
        text = (message or "").strip()
        if not text:
            yield "", history, state
            return
        history = [*history, {"role": "user", "content": text}, {"role": "assistant", "content": ""}]
        state = _for_account(state, account_id)
        if not self.demo_mode and not request.query_params.get("token"):
            history[-1] = {"role": "assistant", "content": ui_text(lang, "token_missing")}
            yield "", history, state
            return
        yield "", history, state
        body = {"message": text, **self._who(state, account_id)}
        streamed = ""
        async for item in self._api(request).stream("/api/chat", body):
            if isinstance(item, ApiReply):
                history[-1] = {"role": "assistant", "content": ui_text(lang, "error", message=item.error_message())}
            elif item.event == "delta":
                streamed += delta_text(item.data)
                history[-1] = {"role": "assistant", "content": streamed}
            elif item.event == "result":
                history[-1], state = self._finish(json.loads(item.data), history, state, lang)
            elif item.event == "error":
                history[-1] = {"role": "assistant", "content": ui_text(lang, "error", message=_error_text(item.data))}
            yield "", history, state

    async def feedback(self, state: dict[str, Any], lang: str, data: gr.LikeData, request: gr.Request) -> None:
        """Store a like/dislike of one answer through /api/feedback."""
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        turn = state.get("turns", {}).get(str(index))
        if turn is None or not state.get("conversation_id"):
            return
        liked = data.liked if isinstance(data.liked, bool) else str(data.liked).lower() == "like"
        body = {"conversation_id": state["conversation_id"], "turn": turn, "rating": "up" if liked else "down"}
        reply = await self._api(request).post("/api/feedback", body)
        if reply.ok:
            gr.Info(ui_text(lang, "feedback_thanks"))
        else:
            gr.Warning(ui_text(lang, "error", message=reply.error_message()))

    async def handoff(self, history: History, state: dict[str, Any], lang: str, account_id: str | None,
                      request: gr.Request) -> AsyncIterator[tuple[History, dict[str, Any]]]:
        """Hand the conversation to a person; before any question, ask for it as a message."""
        state = _for_account(state, account_id)
        if not state.get("conversation_id"):
            async for _, new_history, new_state in self.chat(ui_text(lang, "handoff"), history, state, lang,
                                                             account_id, request):
                yield new_history, new_state
            return
        reply = await self._api(request).post("/api/handoff", {"conversation_id": state["conversation_id"]})
        history = [*history, {"role": "assistant", "content": ""}]
        if reply.ok and isinstance(reply.body, dict) and reply.body.get("answer"):
            history[-1], state = self._finish(reply.body, history, state, lang)
        elif reply.ok:
            handoff_id = reply.body.get("handoff_id") if isinstance(reply.body, dict) else None
            ticket = ui_text(lang, "handoff_ticket", handoff_id=handoff_id) if handoff_id else ""
            history[-1] = {"role": "assistant", "content": ui_text(lang, "handoff_done", ticket=ticket)}
        else:
            history[-1] = {"role": "assistant", "content": ui_text(lang, "error", message=reply.error_message())}
        yield history, state

    def relabel(self, lang: str) -> tuple[Any, ...]:
        """Switch every label of the page to `lang`."""
        return (
            self._header(lang),
            gr.update(label=ui_text(lang, "language")),
            gr.update(label=ui_text(lang, "account")),
            gr.update(label=ui_text(lang, "chat_label")),
            gr.update(placeholder=ui_text(lang, "input_placeholder")),
            gr.update(value=ui_text(lang, "send")),
            gr.update(value=ui_text(lang, "handoff")),
            gr.update(value=ui_text(lang, "new_chat")),
            gr.update(samples=[[q] for q in ui_text(lang, "examples")], label=ui_text(lang, "examples_label")),
        )

    # -- helpers -----------------------------------------------------------------------------

    def _finish(self, result: dict[str, Any], history: History, state: dict[str, Any],
                lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """The finished answer (text + reasons, steps, citations) and the turn it was stored as."""
        try:
            details = render_details(result, lang)
        except Exception:  # the answer itself must still reach the customer
            log.exception("cannot render the details of an answer")
            details = ""
        content = _paragraphs(result.get("answer", "")) + (f"\n\n---\n\n{details}" if details else "")
        turns = {**state.get("turns", {}), str(len(history) - 1): result.get("turn")}
        state = {**state, "conversation_id": result.get("conversation_id"), "turns": turns}
        return {"role": "assistant", "content": content}, state

    def _who(self, state: dict[str, Any], account_id: str | None) -> dict[str, Any]:
        who: dict[str, Any] = {}
        if state.get("conversation_id"):
            who["conversation_id"] = state["conversation_id"]
        if self.demo_mode and account_id:
            who["account_id"] = account_id
        return who

    def _api(self, request: gr.Request) -> InProcessApi:
        token = None if self.demo_mode else request.query_params.get("token")
        client = request.client.host if request.client else "127.0.0.1"
        return InProcessApi(self.app, token=token, client_host=client)

    def _header(self, lang: str) -> str:
        lines = [f"## {ui_text(lang, 'title', product=self.product[lang])}", ui_text(lang, "subtitle")]
        if self.demo_mode:
            lines.append(f"**{ui_text(lang, 'demo_badge')}**")
        return "\n\n".join(lines)


def _paragraphs(answer: str) -> str:
    """Answers are plain text, one statement a line: keep each line a block in markdown."""
    return "\n\n".join(line for line in answer.splitlines() if line.strip())


def _new_state() -> dict[str, Any]:
    return {"conversation_id": None, "account_id": None, "turns": {}}


def _for_account(state: dict[str, Any], account_id: str | None) -> dict[str, Any]:
    """A conversation belongs to one account: another account starts a new one."""
    if state.get("account_id") != account_id:
        return {**_new_state(), "account_id": account_id}
    return state


def _account_rows(body: Any) -> list[dict[str, Any]]:
    rows = body.get("accounts", []) if isinstance(body, dict) else body
    return [row for row in rows or [] if isinstance(row, dict) and row.get("account_id")]


def _description(account: dict[str, Any], lang: str) -> str:
    if lang == "en":
        return str(account.get("description_en") or account.get("description") or "")
    return str(account.get("description_zh") or account.get("description") or "")


def _error_text(data: str) -> str:
    reply = ApiReply(500, _loads(data))
    return reply.error_message() if isinstance(reply.body, dict) else data


def _loads(data: str) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return None


# Citations expand inside the chat bubble; keep them compact.
PAGE_CSS = """
#la-chat details { margin: 0.25em 0; }
#la-chat details summary { cursor: pointer; }
#la-chat details p { font-size: 0.9em; opacity: 0.9; }
"""
