"""The chat UI's way to the assistant: `Services().assistant`, called in-process.

The UI's callbacks run inside the server, so they call the assistant object directly, under the
same access rules as the HTTP routes (`assistant.web.auth`: demo accounts only in demo mode, a
user token reaches only its own account) and the same per-caller rate limit. What comes back is
the typed `Answer`'s parts (`Answer.parts_view()`, the JSON /api/chat returns), so the page and
the widget render one shape. A failure becomes a `UiFailure` naming the localised text the
customer sees (ui_texts.yaml `error_*`); the cause is logged, never shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.errors import UserInputError
from assistant.web.auth import Caller, reachable_conversation
from assistant.web.chat import resolve_turn_account
from assistant.web.errors import ApiError
from assistant.web.limits import MAX_MESSAGE_CHARS
from assistant.web.tokens import InvalidToken, verify_token

if TYPE_CHECKING:
    from assistant.dialogue import Turn
    from assistant.services import Services
    from assistant.web.ratelimit import RateLimiter

log = logging.getLogger("limit_assistant.web.ui")


class UiFailure(Exception):
    """What went wrong, as the key of the customer's message; `retry` when sending again may work."""

    def __init__(self, key: str, *, retry: bool = False) -> None:
        super().__init__(key)
        self.key = key
        self.retry = retry


@dataclass(frozen=True)
class DemoAccount:
    account_id: str
    description: dict[str, str]  # zh / en


class UiBackend:
    """One chat UI's calls to the assistant, as one caller (demo visitor or token holder)."""

    def __init__(self, services: Services, rate_limiter: RateLimiter | None = None) -> None:
        self.services = services
        self.rate_limiter = rate_limiter

    @property
    def demo_mode(self) -> bool:
        return bool(self.services.settings.demo_mode)

    def caller(self, token: str | None, client_host: str) -> Caller:
        """The caller of the page: a user token from its URL, or an anonymous demo visitor."""
        secret = self.services.settings.secret
        if token and secret:
            try:
                verified = verify_token(token, secret)
            except InvalidToken:
                self._count_failed_auth(client_host)
                raise UiFailure("error_session") from None
            return Caller("user", rate_key=f"user:{verified.account_id}", account_id=verified.account_id)
        if self.demo_mode:
            return Caller("anonymous", rate_key=f"ip:{client_host}")
        raise UiFailure("token_missing")

    def _count_failed_auth(self, client_host: str) -> None:
        """A forged or expired token counts against its address, as on the API (401, then 429)."""
        check = getattr(self.rate_limiter, "check_failed_auth", None)
        if check is None:
            return
        try:
            check(client_host)
        except ApiError:
            raise UiFailure("error_rate_limited") from None

    def demo_accounts(self) -> list[DemoAccount]:
        """The demo accounts with their zh and en one-line descriptions (demo mode only)."""
        if not self.demo_mode:
            return []
        rows = self.services.store.accounts.list(demo_only=True)
        return [DemoAccount(a.account_id, {"zh": a.describe("zh"), "en": a.describe("en")}) for a in rows]

    def ask(self, caller: Caller, message: str, *, account_id: str | None,
            conversation_id: str | None) -> dict[str, Any]:
        """One turn: the answer's parts plus `conversation_id` and `turn`."""
        if len(message) > MAX_MESSAGE_CHARS:
            raise UiFailure("error_too_long")
        return self._guarded(self._ask, caller, message, account_id, conversation_id)

    def handoff(self, caller: Caller, *, account_id: str | None, conversation_id: str | None,
                words: str = "") -> dict[str, Any]:
        """Hand the conversation to a person; the same case number on a second request.

        Before any question there is no conversation, so no language either: the request is
        then asked in `words` (the button's label, in the page's language), as the widget does,
        so the answer comes in the language the customer chose.
        """
        if conversation_id is None and words:
            parts = self.ask(caller, words, account_id=account_id, conversation_id=None)
            if parts.get("handoff"):
                return parts
            conversation_id = parts.get("conversation_id")
        return self._guarded(self._handoff, caller, account_id, conversation_id)

    def feedback(self, caller: Caller, conversation_id: str, turn: int, rating: str) -> None:
        """Store (or replace) the rating of one turn of the caller's own conversation."""
        def rate() -> None:
            reachable_conversation(caller, self.services, conversation_id)
            self.services.store.feedback.add(conversation_id, turn, rating, None)
        self._guarded(rate)

    # -- the calls -----------------------------------------------------------------------------

    def _ask(self, caller: Caller, message: str, account_id: str | None,
             conversation_id: str | None) -> dict[str, Any]:
        snapshot, platform = resolve_turn_account(caller, self.services, conversation_id=conversation_id,
                                                  account_id=None if conversation_id else account_id,
                                                  account=None)
        turn = self.services.assistant.ask(message, snapshot, platform=platform, conversation_id=conversation_id)
        return _payload(turn)

    def _handoff(self, caller: Caller, account_id: str | None, conversation_id: str | None) -> dict[str, Any]:
        snapshot, platform = resolve_turn_account(caller, self.services, conversation_id=conversation_id,
                                                  account_id=None if conversation_id else account_id,
                                                  account=None)
        # Before any question there is no conversation yet: the assistant opens one.
        turn = self.services.assistant.handoff(snapshot, conversation_id, platform=platform)  # type: ignore[arg-type]
        return _payload(turn)

    def _guarded(self, call: Any, *args: Any) -> Any:
        """Run `call` after the rate limit; every failure becomes the customer's message."""
        try:
            if self.rate_limiter is not None and args and isinstance(args[0], Caller):
                self.rate_limiter.check(args[0].rate_key)
            return call(*args)
        except UiFailure:
            raise
        except ApiError as exc:
            raise _api_failure(exc) from None
        except UserInputError as exc:
            log.info("ui: input refused: %s", exc)
            raise UiFailure("error_unreadable") from None
        except Exception:  # a bug or an unavailable store: logged; the customer may retry
            log.exception("ui: the assistant failed")
            raise UiFailure("error_failed", retry=True) from None


def _payload(turn: Turn) -> dict[str, Any]:
    data = turn.result.parts_view()
    data.update(conversation_id=turn.conversation_id, turn=turn.seq)
    return data


def _api_failure(exc: ApiError) -> UiFailure:
    if exc.status == 429:
        return UiFailure("error_rate_limited", retry=True)
    if exc.status == 401:
        return UiFailure("error_session")
    if exc.status in (403, 404):
        return UiFailure("error_not_found")
    if exc.status in (413, 422):
        return UiFailure("error_unreadable")
    return UiFailure("error_failed", retry=True)
