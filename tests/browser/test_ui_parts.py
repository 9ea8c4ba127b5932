"""The chat UI's parts that need no browser: in-process streaming client, SSE parsing, details."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.web.ui_client import InProcessApi, SseEvent, SseParser, delta_text
from assistant.web.ui_render import render_details


def test_sse_parser_joins_events_split_across_chunks() -> None:
    parser = SseParser()
    assert parser.feed("event: delta\r\ndata: {\"text\": \"你") == []
    assert parser.feed("好\"}\r\n\r\nevent: result\ndata: {\"a\":\ndata: 1}\n\n: ping\n\n") == [
        SseEvent("delta", '{"text": "你好"}'),
        SseEvent("result", '{"a":\n1}'),
    ]


def test_delta_text_accepts_raw_text_json_strings_and_objects() -> None:
    assert delta_text('{"text": "a"}') == "a"
    assert delta_text('"b"') == "b"
    assert delta_text("plain c") == "plain c"


def streaming_app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/chat")
    async def chat(body: dict[str, Any]) -> Any:
        if body.get("message") == "bad":
            return JSONResponse({"error": {"code": "bad_input", "message": "message is empty"}}, status_code=422)

        async def events() -> Any:
            for piece in ("有", "逾期"):
                yield f"event: delta\ndata: {json.dumps({'text': piece})}\n\n"
                await asyncio.sleep(0)
            yield f"event: result\ndata: {json.dumps({'answer': '有逾期', 'turn': 1})}\n\n"
            yield "event: done\ndata: {}\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


def collect(api: InProcessApi, body: dict[str, Any]) -> list[Any]:
    async def run() -> list[Any]:
        return [item async for item in api.stream("/api/chat", body)]

    # In its own thread: Playwright's sync API keeps an event loop running in the main one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


def test_in_process_stream_yields_events_in_order() -> None:
    events = collect(InProcessApi(streaming_app()), {"message": "hi"})
    assert [e.event for e in events] == ["delta", "delta", "result", "done"]
    assert json.loads(events[2].data) == {"answer": "有逾期", "turn": 1}


def test_in_process_stream_reports_api_errors_as_a_reply() -> None:
    [reply] = collect(InProcessApi(streaming_app()), {"message": "bad"})
    assert reply.status == 422 and reply.error_message() == "message is empty"


CHAT_RESULT = {
    "answer": "…",
    "reason_codes": ["DAILY_DRAW_LIMIT_REACHED"],
    "next_steps": ["WAIT_UNTIL"],
    "sections": [{"doc_id": "d", "section_id": "s", "title": "每日借款次数", "text": "<b>最多3次</b>"}],
    "reasons": [{"code": "DAILY_DRAW_LIMIT_REACHED", "severity": "blocking", "title": "今日借款次数已达上限",
                 "sentence": "今天您已成功借款 3 次，达到每日 3 次的上限。", "facts": {}, "policy_refs": ["s"]}],
    "steps": [{"code": "WAIT_UNTIL", "label": "等到指定时间后再试", "eta": "2026-11-21T00:00:00+08:00",
               "eta_text": "2026年11月21日(周六) 00:00", "self_service": True}],
}


def test_details_show_the_answers_own_sentences_step_times_and_escaped_citations() -> None:
    text = render_details(CHAT_RESULT, "zh")
    assert "今天您已成功借款 3 次" in text                      # the reason as the answer states it
    assert "2026年11月21日(周六) 00:00" in text                 # the step's time
    assert "<summary>每日借款次数</summary>" in text
    assert "&lt;b&gt;最多3次&lt;/b&gt;" in text and "<b>" not in text  # section text is escaped


def test_details_are_empty_for_an_answer_without_parts() -> None:
    assert render_details({"answer": "您好"}, "en") == ""


def test_importing_the_ui_module_does_not_import_gradio() -> None:
    code = "import sys, assistant.web.ui, assistant.web.widget; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
