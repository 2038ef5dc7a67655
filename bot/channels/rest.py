"""Rasa's REST channel with its request checked first.

Rasa's own channel trusts the body: an empty body, a JSON list or a number as
the message ends in a 500 and a stack trace in the log. This one answers such
requests with a 400 (or 413 when too big) and a short JSON reason, and hands
everything else to Rasa unchanged: same URL (``/webhooks/rest/webhook``), same
reply format, same ``?stream=true``.

The conversation is ``rest:<sender>`` (see :func:`bot.channels.conversation_id`):
a REST client cannot reach a Zalo or widget conversation by naming its id.
A client's ``input_channel`` is ignored (it would only let a client pass for
another channel), and the client's address is recorded in the metadata for the
dossier lookup's limits, over anything the client put under that key.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import MAX_CHAT_BODY_BYTES, MAX_SENDER_CHARS, conversation_id
from records.clients import CLIENT_KEY, client_address

logger = logging.getLogger(__name__)

SORRY = "Xin lỗi, hệ thống đang gặp sự cố và chưa trả lời được. Bạn vui lòng gửi lại sau ít phút."
MAX_BODY_BYTES = MAX_CHAT_BODY_BYTES


@dataclass
class RestMessage:
    """A REST request that passed the checks."""

    sender: str
    text: str
    input_channel: str | None = None
    metadata: Dict[str, Any] = field(default_factory=dict)


class BadRequest(ValueError):
    """Why a request was refused, with the HTTP status to answer."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def as_json(self) -> Dict[str, str]:
        return {"error": self.code, "message": self.message}


def parse_body(raw: bytes) -> RestMessage:
    """Check a REST body: a JSON object with a text ``message`` and an optional ``sender``."""
    if len(raw) > MAX_BODY_BYTES:
        raise BadRequest(413, "too_large", f"Tin nhắn quá dài (tối đa {MAX_BODY_BYTES // 1024} KB).")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "invalid_json", "Nội dung yêu cầu phải là JSON UTF-8 hợp lệ.") from None
    if not isinstance(body, dict):
        raise BadRequest(400, "invalid_json", 'Nội dung yêu cầu phải là một đối tượng JSON {"sender", "message"}.')
    text = body.get("message")
    if not isinstance(text, str):
        raise BadRequest(400, "invalid_message", 'Trường "message" phải là một chuỗi văn bản.')
    sender = body.get("sender", "default")
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        raise BadRequest(400, "invalid_sender", 'Trường "sender" phải là chuỗi hoặc số.')
    sender = str(sender)
    if not sender.strip() or len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        raise BadRequest(400, "invalid_sender", f'Trường "sender" phải có 1–{MAX_SENDER_CHARS} ký tự in được.')
    channel = body.get("input_channel")
    if channel is not None and (not isinstance(channel, str) or len(channel) > 40):
        raise BadRequest(400, "invalid_input_channel", 'Trường "input_channel" phải là chuỗi ngắn.')
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadRequest(400, "invalid_metadata", 'Trường "metadata" phải là một đối tượng JSON.')
    return RestMessage(sender=sender, text=text, input_channel=channel or None, metadata=metadata)


class CheckedRestInput(RestInput):
    """``POST /webhooks/rest/webhook``: Rasa's REST channel behind :func:`parse_body`."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("checked_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[HTTPResponse, Any]:
            try:
                message = parse_body(request.body or b"")
            except BadRequest as refused:
                return response.json(refused.as_json(), status=refused.status)
            channel = self.name()
            sender = conversation_id(channel, message.sender)
            metadata = {**message.metadata,
                        CLIENT_KEY: client_address(request.ip, request.headers.get("X-Forwarded-For"))}
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, message.text, sender, channel, metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(message.text, collector, sender, input_channel=channel, metadata=metadata)
                )
            except (Exception, asyncio.CancelledError):
                # Rasa logs the failure itself; the citizen gets a sentence, not an empty list.
                logger.exception("rest: message from %s could not be processed", sender)
                if not collector.messages:
                    collector.messages.append({"recipient_id": sender, "text": SORRY})
            for reply in collector.messages:  # the client's own sender id, as Rasa's channel answers
                reply["recipient_id"] = message.sender
            return response.json(collector.messages)

        return webhook
