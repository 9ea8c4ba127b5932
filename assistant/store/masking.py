"""Mask personal numbers in free text before it reaches a log line.

Chinese resident ID numbers (18 characters, the last may be X), mobile phone numbers (11 digits
starting with 1, optionally +86 and spaced 3-4-4) and bank card numbers (13 to 19 digits, or
spaced in groups of four) are replaced so that only what support needs to tell cases apart is
left: the last four characters of an ID or card, the first three and last four digits of a
phone number (the usual 138****5678). Masking errs on the safe side: any other run of 13-19
digits is masked like a card number. Amounts, dates, account ids and UUIDs are left alone.
"""

from __future__ import annotations

import logging
import re

_NOT_DIGIT_BEFORE = r"(?<!\d)"
_NOT_DIGIT_AFTER = r"(?!\d)"

_ID_NUMBER = re.compile(_NOT_DIGIT_BEFORE + r"\d{17}[\dXx]" + _NOT_DIGIT_AFTER)
_CARD_RUN = re.compile(_NOT_DIGIT_BEFORE + r"\d{13,19}" + _NOT_DIGIT_AFTER)
_CARD_GROUPED = re.compile(
    _NOT_DIGIT_BEFORE + r"\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?" + _NOT_DIGIT_AFTER
)
_PHONE = re.compile(
    r"(?<![\d+])(?P<prefix>(?:\+?86[ -]?)?)(?P<head>1[3-9]\d)[ -]?(?P<mid>\d{4})[ -]?"
    r"(?P<tail>\d{4})" + _NOT_DIGIT_AFTER
)


def _keep_last_four(match: re.Match[str]) -> str:
    text = match.group(0)
    digits_to_hide = sum(ch not in " -" for ch in text) - 4
    out = []
    for ch in text:
        if ch not in " -" and digits_to_hide > 0:
            out.append("*")
            digits_to_hide -= 1
        else:
            out.append(ch)
    return "".join(out)


def _mask_phone(match: re.Match[str]) -> str:
    return f"{match['prefix']}{match['head']}****{match['tail']}"


# A conversation or hand-off id: its middle groups are all digits in roughly one id in 200, and
# "4290-4825-8071-025" reads like a card number in groups of four.
_UUID = re.compile(r"([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})")  # kept by split()


def _mask_numbers(text: str) -> str:
    text = _ID_NUMBER.sub(_keep_last_four, text)
    text = _CARD_RUN.sub(_keep_last_four, text)
    text = _CARD_GROUPED.sub(_keep_last_four, text)
    return _PHONE.sub(_mask_phone, text)


def mask_pii(text: str) -> str:
    """`text` with ID, phone and bank card numbers masked (see the module docstring); ids in the
    UUID form are left whole."""
    # split() with the captured id gives text, id, text, id, …, text: the ids sit at odd places.
    return "".join(piece if i % 2 else _mask_numbers(piece) for i, piece in enumerate(_UUID.split(text)))


class PiiMaskingFilter(logging.Filter):
    """A logging filter that masks the formatted message and the traceback's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # An exception's message may quote the customer's text; handlers print exc_text.
            record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
        return True


def install_pii_masking() -> None:
    """Mask every log record of this process as it is made, whichever logger or handler (ours,
    uvicorn's, a library's) writes it: `PiiMaskingFilter` applied by the log record factory.
    Called by the CLI and the web app at start; calling it again changes nothing."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "masks_pii", False):
        return
    mask = PiiMaskingFilter()

    def masked_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        mask.filter(record)
        return record

    masked_record.masks_pii = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masked_record)
