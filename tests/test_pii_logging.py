"""Personal numbers never reach a log line: the masking is installed by the CLI and the web app
and applies to every record, whichever logger writes it."""

from __future__ import annotations

import logging

import pytest

from assistant.store.masking import install_pii_masking

PHONE, CARD = "13812345678", "6222021234567890123"


@pytest.fixture()
def masking():  # type: ignore[no-untyped-def]
    before = logging.getLogRecordFactory()
    install_pii_masking()
    install_pii_masking()  # twice: still one layer
    yield
    logging.setLogRecordFactory(before)


def test_messages_and_arguments_are_masked_for_any_logger(masking):  # type: ignore[no-untyped-def]
    # A handler on each logger itself: uvicorn's own logging config (installed by any test that
    # ran a server earlier in the session) stops its records from propagating to caplog's root.
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    loggers = [logging.getLogger("limit_assistant.web"), logging.getLogger("uvicorn.error")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        loggers[0].warning("customer wrote %s", f"call me on {PHONE}")
        loggers[1].warning("card %s", CARD)
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    text = "\n".join(seen)
    assert len(seen) == 2
    assert PHONE not in text and "138****5678" in text
    assert CARD not in text and CARD[-4:] in text


def test_a_traceback_quoting_the_message_is_masked(masking, caplog):  # type: ignore[no-untyped-def]
    try:
        raise ValueError(f"cannot parse {PHONE}")
    except ValueError:
        logging.getLogger("limit_assistant.dialogue").exception("turn failed")
    assert PHONE not in caplog.text and "138****5678" in caplog.text


def test_the_web_app_installs_it(tmp_path):  # type: ignore[no-untyped-def]
    from assistant.services import Services
    from assistant.settings import Settings
    from assistant.web import create_app

    before = logging.getLogRecordFactory()
    try:
        logging.setLogRecordFactory(logging.LogRecord)
        create_app(Services(Settings(data_dir=tmp_path, embedder="hashing")), surfaces=False, warm_up=False)
        assert getattr(logging.getLogRecordFactory(), "masks_pii", False)
    finally:
        logging.setLogRecordFactory(before)
