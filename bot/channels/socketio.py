"""Rasa's socket.io channel, with session persistence that works on current python-socketio.

Rasa 3.6 calls ``sio.enter_room(...)`` without ``await``; since python-socketio
5.10 that is a coroutine, so the browser never joins its session's room and
never hears the bot (RasaHQ/rasa#13027, fix proposed in RasaHQ/rasa#13148).
This subclass re-registers the ``session_request`` handler, awaiting the call,
and the message handler, which checks what a browser (or anyone) sends: Rasa's
own handler raises on a payload that is not an object or a message that is not
text. Packets over ``MAX_PACKET_BYTES`` are refused by engine.io itself.

Sessions belong to whoever the server gave them to:

* the server issues session ids, signed (:class:`SessionIds`); a client
  cannot pick one (another channel's id, a guessable word), and an id it did
  not get from us starts a new session;
* a socket speaks only for the session it asked for: the ``session_id`` inside
  a message is ignored, so knowing an id is not enough to write into it;
* the conversation is ``web:<id>``, the room is the same, and the signature
  never reaches the tracker store;
* the client's address goes into the metadata for the dossier lookup's limits;
* a browser on a site outside ``RASA_CORS`` cannot connect, over WebSocket
  either (Rasa's channel turns engine.io's own origin check off);
* an officer's answer to a question the citizen left (records/handoffs.py) is
  delivered when the citizen comes back: on the session request of a page
  load and before each message;
* with several Rasa replicas (``LOCK_STORE_URL`` names their shared Redis),
  what one replica emits to a room reaches the socket another replica holds
  (python-socketio's Redis manager): an officer's message, posted to any
  replica by the console, reaches the citizen's widget.

Everything else is Rasa's own channel.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import json
import logging
import os
import secrets
import uuid
from typing import Any, Awaitable, Callable, Dict, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

from bot.channels import MAX_CHAT_BODY_BYTES, conversation_id
from records.clients import CLIENT_KEY, client_address
from records.database import make_engine
from records.events import events_db_url
from records.handoffs import HandoffQueue
from replies.handoffs import delivered_answer

logger = logging.getLogger(__name__)
MAX_PACKET_BYTES = MAX_CHAT_BODY_BYTES
UNREADABLE_PACKET = "Xin lỗi, tin nhắn không đọc được. Bạn vui lòng tải lại trang và gửi lại câu hỏi."


def checked_message(
    data: Any, sid: str, persistent: bool, metadata_key: str = "metadata"
) -> Tuple[str, str, Dict[str, Any]] | None:
    """(sender, text, metadata) from a ``user_uttered`` payload, or None when it is not usable."""
    if not isinstance(data, dict) or not isinstance(data.get("message", ""), str):
        return None
    sender = data.get("session_id") if persistent else sid
    if not isinstance(sender, str) or not sender or len(sender) > 100:
        return None
    metadata = data.get(metadata_key, {})
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            metadata = {}
    return sender, data.get("message", ""), metadata if isinstance(metadata, dict) else {}


def shared_rooms(sio: Any, redis_url: str) -> None:
    """Share rooms across replicas through Redis when a lock store URL is configured (before any socket joins)."""
    if not redis_url.strip():
        return
    from socketio import AsyncRedisManager

    manager = AsyncRedisManager(redis_url, channel="tro-ly-socketio")
    manager.set_server(sio)
    sio.manager = manager
    sio.manager_initialized = False


def allowed_origins() -> list[str]:
    """The portal origins that may embed the widget: ``RASA_CORS``, as for Rasa's own ``--cors``."""
    origins = os.environ.get("RASA_CORS", "").split()
    if not origins:
        logger.warning("socket.io: RASA_CORS is not set; browsers on any site may connect")
    return origins


class AnswerDelivery:
    """Officers' answers waiting for a widget citizen, taken from the console database once each."""

    def __init__(self, queue: HandoffQueue | None = None):
        self._queue = queue

    def queue(self) -> HandoffQueue:
        if self._queue is None:
            self._queue = HandoffQueue(make_engine(events_db_url()))
        return self._queue

    def _take(self, conversation: str) -> list[str]:
        texts = []
        for left in self.queue().undelivered_for(conversation):
            if self.queue().mark_delivered(left.id):  # another replica may deliver it first
                texts.append(delivered_answer(left.code, left.answer))
        return texts

    async def take(self, conversation: str) -> list[str]:
        """The answers to deliver now; none (and a log line) when the database cannot be read."""
        try:
            return await asyncio.to_thread(self._take, conversation)
        except Exception as exc:  # noqa: BLE001 - delivery waits for the next visit; the chat goes on
            logger.warning("socket.io: answers to left questions not checked: %s", type(exc).__name__)
            return []


class SessionIds:
    """Session ids ``<uuid hex>.<signature>`` that only this service (every replica of it) can issue.

    The key is ``SOCKETIO_SESSION_KEY``, else derived from ``RASA_AUTH_TOKEN`` (the
    same on every replica); with neither, a random key per process, so sessions
    do not survive a restart.
    """

    def __init__(self, key: bytes | None = None):
        if key is None:
            configured = os.environ.get("SOCKETIO_SESSION_KEY") or os.environ.get("RASA_AUTH_TOKEN") or ""
            if not configured:
                logger.warning("socket.io: no SOCKETIO_SESSION_KEY or RASA_AUTH_TOKEN; sessions end with this process")
            key = hashlib.sha256(b"socketio-session\n" + configured.encode()).digest() if configured \
                else secrets.token_bytes(32)
        self._key = key

    def _sign(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        value = uuid.uuid4().hex
        return f"{value}.{self._sign(value)}"

    def verify(self, session_id: Any) -> str | None:
        """The conversation part of a session id we issued, or None."""
        if not isinstance(session_id, str) or len(session_id) > 100:
            return None
        value, _, signature = session_id.partition(".")
        if len(value) != 32 or not hmac.compare_digest(self._sign(value), signature):
            return None
        return value


class SocketIOInput(RasaSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        shared_rooms(sio, os.environ.get("LOCK_STORE_URL", ""))

        ids = SessionIds()
        bound: Dict[str, str] = {}  # socket id -> conversation id, for the sockets of this process
        origins = allowed_origins()
        answers = AnswerDelivery()

        async def deliver_answers(sid: str, conversation: str) -> None:
            for text in await answers.take(conversation):
                await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Any = None) -> bool:
            """Browsers on other sites are refused, WebSocket included (CORS alone covers only polling)."""
            origin = environ.get("HTTP_ORIGIN")
            if origins and origin and origin not in origins:
                logger.info("socket.io: connection from origin %s refused", origin[:100])
                return False
            return True

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Dict | None = None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if ids.verify(session_id) is None:
                session_id = ids.issue()
            conversation = conversation_id("web", ids.verify(session_id) or "")
            previous = bound.get(sid)
            if previous and previous != conversation:
                left = sio.leave_room(sid, previous, namespace=self.namespace)
                if inspect.isawaitable(left):
                    await left
            bound[sid] = conversation
            entered = sio.enter_room(sid, conversation, namespace=self.namespace)
            if inspect.isawaitable(entered):
                await entered
            await sio.emit("session_confirm", session_id, room=sid)
            await deliver_answers(sid, conversation)

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            bound.pop(sid, None)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            checked = checked_message(data, sid, False, self.metadata_key)
            conversation = bound.get(sid)
            if checked is None or conversation is None:
                await sio.emit(self.bot_message_evt, {"text": UNREADABLE_PACKET}, room=sid, namespace=self.namespace)
                return
            _, text, metadata = checked
            await deliver_answers(sid, conversation)
            environ = sio.get_environ(sid, namespace=self.namespace) or {}
            request = environ.get("sanic.request")
            metadata[CLIENT_KEY] = client_address(getattr(request, "ip", None),
                                                  request.headers.get("X-Forwarded-For") if request else None)
            output = SocketIOOutput(sio, self.bot_message_evt)
            await on_new_message(UserMessage(text, output, conversation, input_channel=self.name(), metadata=metadata))

        sio.eio.max_http_buffer_size = MAX_PACKET_BYTES
        return blueprint
