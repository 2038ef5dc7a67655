"""Rasa input channel for a Zalo Official Account: ``/webhooks/zalo/webhook``.

Enabled in credentials.yml as ``bot.channels.zalo.ZaloInput``; configured from
the environment only (secrets never sit in files): ``ZALO_APP_ID``,
``ZALO_OA_SECRET_KEY``, ``ZALO_ACCESS_TOKEN``, ``ZALO_REFRESH_TOKEN``,
``ZALO_APP_SECRET``, ``ZALO_API_URL``, ``ZALO_OAUTH_URL``, ``ZALO_TOKEN_FILE``.

Every event is verified (see :mod:`bot.channels.zalo_signature`), answered
with 200 at once and handled in the background, because Zalo re-delivers
events that take too long; re-deliveries are dropped by ``msg_id``, across
replicas when ``LOCK_STORE_URL`` names the shared Redis.

The conversation is ``zalo:<user id>``; the user id, which Zalo signs, is also
the client the dossier lookup's limits count.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Set

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MAX_CHAT_BODY_BYTES, conversation_id, sender_of
from bot.channels.zalo_api import ZaloApi, ZaloSettings, mask_id
from bot.channels.zalo_events import (
    IGNORED,
    ONLY_TEXT_REPLY,
    OTHER_CONTENT,
    ExpiringSet,
    NumberedOptions,
    RedisSeenSet,
    ZaloEvent,
    classify,
    split_text,
)
from bot.channels.zalo_signature import SignatureVerifier
from bot.channels.zalo_tokens import TokenPair, TokenStore
from bot.endpoints import redis_settings
from records.clients import CLIENT_KEY

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
MAX_BODY_BYTES = MAX_CHAT_BODY_BYTES


@dataclass(frozen=True)
class Accepted:
    status: int
    event: ZaloEvent | None = None


class ZaloWebhook:
    """Checks one HTTP request; plain Python so it is tested without Sanic."""

    def __init__(self, verifier: SignatureVerifier, seen: ExpiringSet):
        self.verifier = verifier
        self.seen = seen

    def accept(self, header: str | None, raw_body: bytes) -> Accepted:
        if len(raw_body) > MAX_BODY_BYTES:
            return Accepted(413)
        try:
            payload = json.loads(raw_body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return Accepted(401)
        if not isinstance(payload, dict) or not self.verifier.verify(header, raw_body, payload):
            return Accepted(401)
        event = classify(payload)
        if event.kind == IGNORED:
            return Accepted(200)
        if event.msg_id and not self.seen.add(event.msg_id):
            logger.info("zalo event %s re-delivered; dropped", event.msg_id[-6:])
            return Accepted(200)
        return Accepted(200, event)


class ZaloOutput(OutputChannel):
    """Sends the bot's messages to one Zalo user; buttons become numbered options."""

    @classmethod
    def name(cls) -> str:
        return "zalo"

    def __init__(self, api: ZaloApi, options: NumberedOptions):
        self.api = api
        self.options = options

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        user_id = sender_of("zalo", recipient_id)
        for piece in split_text(text):
            await self.api.send_text(user_id, piece)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        user_id = sender_of("zalo", recipient_id)
        await self.send_text_message(user_id, self.options.render(user_id, text, buttons))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, str(attachment))


def seen_set(env: Mapping[str, str]) -> ExpiringSet | RedisSeenSet:
    """Event ids seen: in the shared Redis when ``LOCK_STORE_URL`` is set, else in this process."""
    url = env.get("LOCK_STORE_URL", "").strip()
    if not url:
        return ExpiringSet()
    import redis  # Rasa's own dependency, for its Redis lock store

    settings = redis_settings(url)
    client = redis.Redis(host=settings["host"], port=settings["port"], db=settings["db"],
                         username=settings["username"], password=settings["password"], ssl=settings["use_ssl"],
                         socket_timeout=0.5, socket_connect_timeout=0.5)
    return RedisSeenSet(client)


class ZaloInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "zalo"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> ZaloInput:
        return cls.from_env(os.environ)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ZaloInput:
        settings = ZaloSettings(
            app_id=env.get("ZALO_APP_ID", ""),
            app_secret=env.get("ZALO_APP_SECRET", ""),
            api_url=env.get("ZALO_API_URL") or "https://openapi.zalo.me",
            oauth_url=env.get("ZALO_OAUTH_URL") or "https://oauth.zaloapp.com",
        )
        tokens = TokenStore(
            Path(env.get("ZALO_TOKEN_FILE") or ROOT / "var" / "zalo_tokens.json"),
            TokenPair(env.get("ZALO_ACCESS_TOKEN", ""), env.get("ZALO_REFRESH_TOKEN", "")),
        )
        verifier = SignatureVerifier(settings.app_id, env.get("ZALO_OA_SECRET_KEY", ""))
        if not (settings.app_id and verifier.secret_key):
            logger.warning("Zalo channel has no ZALO_APP_ID / ZALO_OA_SECRET_KEY: every event will be refused")
        return cls(ZaloWebhook(verifier, seen_set(env)), ZaloApi(settings, tokens), NumberedOptions())

    def __init__(self, webhook: ZaloWebhook, api: ZaloApi, options: NumberedOptions):
        self.webhook = webhook
        self.api = api
        self.options = options
        self._tasks: Set[asyncio.Task] = set()

    def get_output_channel(self) -> OutputChannel:
        return ZaloOutput(self.api, self.options)

    async def process(self, event: ZaloEvent, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Handle one accepted event; never raises (it runs detached from the request)."""
        try:
            if event.kind == OTHER_CONTENT:
                await self.api.send_text(event.user_id, ONLY_TEXT_REPLY)
                return
            text = self.options.resolve(event.user_id, event.text)
            await on_new_message(
                UserMessage(text, self.get_output_channel(), conversation_id("zalo", event.user_id),
                            input_channel=self.name(), message_id=event.msg_id or None,
                            metadata={CLIENT_KEY: f"zalo:{event.user_id}"})
            )
        except Exception:  # noqa: BLE001 - a background task must log, not die silently
            logger.exception("zalo message from %s failed", mask_id(event.user_id))

    def spawn(self, event: ZaloEvent, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(self.process(event, on_new_message))
        self._tasks.add(task)  # keep a reference until done, or the task may be collected
        task.add_done_callback(self._tasks.discard)
        return task

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        zalo = Blueprint("zalo_webhook", __name__)

        @zalo.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @zalo.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            accepted = self.webhook.accept(request.headers.get("X-ZEvent-Signature"), request.body or b"")
            if accepted.status != 200:
                return response.json({"error": "refused"}, status=accepted.status)
            if accepted.event is not None:
                self.spawn(accepted.event, on_new_message)
            return response.json({"status": "ok"})

        return zalo
