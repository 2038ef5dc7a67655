"""Rasa's socket.io channel, with session persistence that works on current python-socketio.

Rasa 3.6 calls ``sio.enter_room(...)`` without ``await``; since python-socketio
5.10 that is a coroutine, so the browser never joins its session's room and
never hears the bot (RasaHQ/rasa#13027, fix proposed in RasaHQ/rasa#13148).
This subclass re-registers the ``session_request`` handler, awaiting the call,
and the message handler, which checks what a browser (or anyone) sends: Rasa's
own handler raises on a payload that is not an object or a message that is not
text. Packets over ``MAX_PACKET_BYTES`` are refused by engine.io itself.
Everything else is Rasa's own channel.
"""

from __future__ import annotations

import inspect
import json
import uuid
from typing import Any, Awaitable, Callable, Dict, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.channels.socketio import SocketIOOutput
from sanic import Blueprint

from bot.channels import MAX_CHAT_BODY_BYTES

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


class SocketIOInput(RasaSocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Dict | None = None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id or len(session_id) > 100:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            checked = checked_message(data, sid, self.session_persistence, self.metadata_key)
            if checked is None:
                await sio.emit(self.bot_message_evt, {"text": UNREADABLE_PACKET}, room=sid, namespace=self.namespace)
                return
            sender, text, metadata = checked
            output = SocketIOOutput(sio, self.bot_message_evt)
            await on_new_message(UserMessage(text, output, sender, input_channel=self.name(), metadata=metadata))

        sio.eio.max_http_buffer_size = MAX_PACKET_BYTES
        return blueprint
