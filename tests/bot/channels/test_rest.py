"""The REST channel refuses what is not a chat message with a clear 4xx."""

from __future__ import annotations

import json

import pytest

from bot.channels.rest import MAX_BODY_BYTES, BadRequest, parse_body
from bot.channels.socketio import checked_message


def body(**fields) -> bytes:
    return json.dumps(fields).encode("utf-8")


def test_a_normal_message_passes_unchanged():
    message = parse_body(body(sender="c-1", message="  làm cccd mất bao lâu ", metadata={"x": 1}))
    assert (message.sender, message.text, message.metadata) == ("c-1", "  làm cccd mất bao lâu ", {"x": 1})
    assert message.input_channel is None


def test_numbers_as_sender_and_missing_sender_work_as_in_rasa():
    assert parse_body(body(sender=42, message="hi")).sender == "42"
    assert parse_body(body(message="hi")).sender == "default"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", "invalid_json"),
        (b"{not json", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[1, 2]", "invalid_json"),
        (b'"text"', "invalid_json"),
        (body(sender="a"), "invalid_message"),
        (body(sender="a", message=5), "invalid_message"),
        (body(sender="a", message=None), "invalid_message"),
        (body(sender="a", message=["x"]), "invalid_message"),
        (body(sender=True, message="x"), "invalid_sender"),
        (body(sender={"id": 1}, message="x"), "invalid_sender"),
        (body(sender="", message="x"), "invalid_sender"),
        (body(sender="a\nb", message="x"), "invalid_sender"),
        (body(sender="a" * 200, message="x"), "invalid_sender"),
        (body(sender="a", message="x", metadata=[1]), "invalid_metadata"),
        (body(sender="a", message="x", input_channel=7), "invalid_input_channel"),
    ],
)
def test_malformed_requests_get_400_with_a_reason(raw, code):
    with pytest.raises(BadRequest) as refused:
        parse_body(raw)
    assert refused.value.status == 400 and refused.value.code == code
    assert refused.value.as_json()["message"]


def test_oversized_body_gets_413():
    with pytest.raises(BadRequest) as refused:
        parse_body(body(sender="a", message="x" * MAX_BODY_BYTES))
    assert refused.value.status == 413


def test_socketio_payloads_are_checked_the_same_way():
    assert checked_message({"message": "chào", "session_id": "s1"}, "sid", True) == ("s1", "chào", {})
    assert checked_message({"message": "chào", "metadata": '{"a": 1}', "session_id": "s1"}, "sid", True)[2] == {"a": 1}
    assert checked_message({"message": "chào", "metadata": "{bad", "session_id": "s1"}, "sid", True)[2] == {}
    assert checked_message({"message": "chào"}, "sid", False)[0] == "sid"
    bad_payloads = (None, "text", [1], {"message": 3, "session_id": "s"}, {"message": "x"},
                    {"message": "x", "session_id": 5})
    for bad in bad_payloads:
        assert checked_message(bad, "sid", True) is None


def test_socketio_session_ids_are_issued_and_signed_by_the_service():
    from bot.channels.socketio import SessionIds

    ids = SessionIds(b"k" * 32)
    issued = ids.issue()
    value = ids.verify(issued)
    assert value and len(value) == 32 and issued.startswith(value + ".")
    assert ids.verify("phien-cu-0001") is None  # chosen by a client
    assert ids.verify(value + "." + "0" * 32) is None  # forged signature
    assert SessionIds(b"x" * 32).verify(issued) is None  # another service's id
    assert ids.verify(None) is None and ids.verify(issued + "x" * 100) is None


def test_socketio_session_key_is_shared_by_replicas_through_the_environment(monkeypatch):
    from bot.channels.socketio import SessionIds

    monkeypatch.delenv("SOCKETIO_SESSION_KEY", raising=False)
    monkeypatch.setenv("RASA_AUTH_TOKEN", "a-shared-token-of-the-deployment-0123456789")
    assert SessionIds().verify(SessionIds().issue())


def test_conversation_ids_name_their_channel():
    from bot.channels import conversation_id, sender_of

    assert conversation_id("rest", "123") == "rest:123" != conversation_id("zalo", "123")
    assert sender_of("zalo", "zalo:123") == "123" and sender_of("zalo", "123") == "123"


async def test_a_widget_citizen_gets_an_officers_answer_once_when_coming_back(tmp_path):
    from bot.channels.socketio import AnswerDelivery
    from records.database import make_engine
    from records.handoffs import HandoffQueue

    queue = HandoffQueue(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    delivery = AnswerDelivery(queue)
    left = queue.leave("web:abc", "socketio", "mot-cua", "Đất bị cấp trùng sổ thì sao?", "")
    assert await delivery.take("web:abc") == []  # not answered yet
    queue.answer(left.id, "an", "Bạn nộp đơn tại Văn phòng đăng ký đất đai.")
    [text] = await delivery.take("web:abc")
    assert left.code in text and "Văn phòng đăng ký đất đai" in text
    assert await delivery.take("web:abc") == [] and await delivery.take("web:other") == []


async def test_answer_delivery_survives_a_database_failure(tmp_path, caplog):
    from bot.channels.socketio import AnswerDelivery

    class Broken:
        def undelivered_for(self, conversation):
            raise OSError("down")

    assert await AnswerDelivery(Broken()).take("web:abc") == [] and "not checked" in caplog.text


def test_replicas_share_socketio_rooms_through_the_lock_stores_redis():
    from socketio import AsyncRedisManager, AsyncServer

    from bot.channels.socketio import shared_rooms

    alone = AsyncServer(async_mode="sanic")
    shared_rooms(alone, "")
    assert not isinstance(alone.manager, AsyncRedisManager)
    replica = AsyncServer(async_mode="sanic")
    shared_rooms(replica, "redis://:pw@127.0.0.1:6399/1")
    assert isinstance(replica.manager, AsyncRedisManager) and replica.manager.server is replica


@pytest.mark.slow
async def test_what_one_replica_emits_reaches_a_socket_the_other_holds(aiohttp_server, tmp_path):
    """An officer's message posted to replica B reaches the widget connected to replica A (real Redis)."""
    import asyncio

    import socketio
    from aiohttp import web

    from bot.channels.socketio import shared_rooms
    from tests.services import RedisServer

    redis = RedisServer(tmp_path / "redis")
    redis.start()
    try:
        replicas = []
        for _ in range(2):
            sio = socketio.AsyncServer(async_mode="aiohttp")
            shared_rooms(sio, redis.url(3))

            @sio.on("session_request")
            async def join(sid, data, sio=sio):
                await sio.enter_room(sid, "web:abc")
                await sio.emit("session_confirm", "web:abc", room=sid)

            app = web.Application()
            sio.attach(app)
            replicas.append((sio, await aiohttp_server(app)))
        (_, server_a), (sio_b, _) = replicas
        heard: asyncio.Queue = asyncio.Queue()
        client = socketio.AsyncClient()
        client.on("bot_uttered", lambda data: heard.put_nowait(data))
        confirmed: asyncio.Queue = asyncio.Queue()
        client.on("session_confirm", lambda data: confirmed.put_nowait(data))
        await client.connect(str(server_a.make_url("/")), transports=["polling"])
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed.get(), 10)
        await asyncio.sleep(0.5)  # A's listener subscribes to Redis; B has no socket of its own
        await sio_b.emit("bot_uttered", {"text": "Cán bộ đã tiếp nhận"}, room="web:abc")
        assert (await asyncio.wait_for(heard.get(), 10))["text"] == "Cán bộ đã tiếp nhận"
        await client.disconnect()
    finally:
        redis.stop()
