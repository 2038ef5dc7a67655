"""The channel's request checks and background handling, with the local fake OA API."""

import asyncio
import json
import time

import pytest

from bot.channels.zalo import MAX_BODY_BYTES, ZaloInput
from bot.channels.zalo_events import ONLY_TEXT_REPLY
from bot.channels.zalo_signature import signature
from tests.zalo_fake import APP_ID, APP_SECRET, OA_SECRET_KEY, FakeZalo


def signed(event_name="user_send_text", text="xin chào", msg_id="m-1", user="u-1", ts_ms=None):
    ts = str(ts_ms or int(time.time() * 1000))
    body = json.dumps({"app_id": APP_ID, "timestamp": ts, "event_name": event_name, "sender": {"id": user},
                       "recipient": {"id": "oa-1"}, "message": {"text": text, "msg_id": msg_id}},
                      ensure_ascii=False).encode()
    return signature(APP_ID, body, ts, OA_SECRET_KEY), body


@pytest.fixture
async def channel(aiohttp_server, tmp_path):
    fake = FakeZalo()
    server = await aiohttp_server(fake.app())
    url = str(server.make_url("")).rstrip("/")
    env = {"ZALO_APP_ID": APP_ID, "ZALO_OA_SECRET_KEY": OA_SECRET_KEY, "ZALO_APP_SECRET": APP_SECRET,
           "ZALO_ACCESS_TOKEN": "access-1", "ZALO_REFRESH_TOKEN": "refresh-1", "ZALO_API_URL": url,
           "ZALO_OAUTH_URL": url, "ZALO_TOKEN_FILE": str(tmp_path / "tokens.json")}
    zalo = ZaloInput.from_env(env)
    yield fake, zalo
    await zalo.api.close()


class FakeRasa:
    """Plays Rasa's part: records messages and answers through the output channel it is given."""

    def __init__(self, reply=None, buttons=None):
        self.received = []
        self.reply, self.buttons = reply, buttons

    async def __call__(self, message):
        self.received.append(message)
        out = message.output_channel
        if self.buttons:
            await out.send_text_with_buttons(message.sender_id, self.reply, self.buttons)
        else:
            await out.send_text_message(message.sender_id, self.reply or f"đã nhận: {message.text}")


async def deliver(zalo, rasa, header, body):
    accepted = zalo.webhook.accept(header, body)
    if accepted.event is not None:
        await zalo.spawn(accepted.event, rasa)
    return accepted.status


async def test_signed_text_is_answered_through_the_api(channel):
    fake, zalo = channel
    rasa = FakeRasa()
    assert await deliver(zalo, rasa, *signed(text="làm hộ chiếu")) == 200
    assert rasa.received[0].metadata == {"tro_ly_client": "zalo:u-1"}
    assert rasa.received[0].sender_id == "zalo:u-1" and rasa.received[0].input_channel == "zalo"
    assert fake.texts_to("u-1") == ["đã nhận: làm hộ chiếu"]


@pytest.mark.parametrize("tamper", ["missing", "bad", "stale", "garbage"])
async def test_unsigned_bad_or_stale_events_are_refused_and_do_nothing(channel, tamper):
    fake, zalo = channel
    rasa = FakeRasa()
    header, body = signed(ts_ms=int(time.time() * 1000) - 3600_000 if tamper == "stale" else None)
    if tamper == "missing":
        header = None
    elif tamper == "bad":
        header = "mac=" + "0" * 64
    elif tamper == "garbage":
        body = b"{not json"
    assert await deliver(zalo, rasa, header, body) == 401
    assert rasa.received == [] and fake.sent == []


async def test_oversized_bodies_are_refused(channel):
    _, zalo = channel
    assert zalo.webhook.accept("mac=x", b"x" * (MAX_BODY_BYTES + 1)).status == 413


async def test_a_redelivered_event_is_answered_once(channel):
    fake, zalo = channel
    rasa = FakeRasa()
    header, body = signed(msg_id="same")
    for _ in range(3):
        assert await deliver(zalo, rasa, header, body) == 200
    assert len(rasa.received) == 1 and len(fake.sent) == 1


async def test_stickers_and_images_get_the_text_only_reply(channel):
    fake, zalo = channel
    rasa = FakeRasa()
    await deliver(zalo, rasa, *signed(event_name="user_send_sticker"))
    assert rasa.received == [] and fake.texts_to("u-1") == [ONLY_TEXT_REPLY]


async def test_echoes_and_receipts_are_ignored(channel):
    fake, zalo = channel
    for name in ("oa_send_text", "user_seen_message", "user_received_message"):
        assert await deliver(zalo, FakeRasa(), *signed(event_name=name, msg_id=name)) == 200
    assert fake.sent == []


async def test_long_replies_are_split(channel):
    fake, zalo = channel
    long_reply = "\n".join(f"- Giấy tờ số {i}: " + "bản sao có chứng thực " * 8 for i in range(40))
    await deliver(zalo, FakeRasa(reply=long_reply), *signed())
    texts = fake.texts_to("u-1")
    assert len(texts) > 1 and all(len(t) <= 2000 for t in texts)


async def test_buttons_become_numbers_and_a_number_sends_the_payload(channel):
    fake, zalo = channel
    buttons = [{"title": "Cấp đổi thẻ căn cước", "payload": '/inform_procedure{"procedure_id":"cap_doi"}'},
               {"title": "Cấp lại thẻ căn cước", "payload": '/inform_procedure{"procedure_id":"cap_lai"}'}]
    await deliver(zalo, FakeRasa(reply="Bạn muốn hỏi thủ tục nào?", buttons=buttons), *signed(msg_id="a"))
    assert "1. Cấp đổi thẻ căn cước\n2. Cấp lại thẻ căn cước" in fake.texts_to("u-1")[0]
    rasa = FakeRasa()
    await deliver(zalo, rasa, *signed(text="2", msg_id="b"))
    assert rasa.received[0].text == buttons[1]["payload"]


async def test_expired_token_is_refreshed_and_the_reply_resent(channel):
    fake, zalo = channel
    fake.expire_access_token()
    await deliver(zalo, FakeRasa(), *signed())
    assert fake.refreshes == 1 and fake.texts_to("u-1") == ["đã nhận: xin chào"]


async def test_api_down_does_not_crash_the_channel(channel):
    fake, zalo = channel
    fake.down = True
    await deliver(zalo, FakeRasa(), *signed(msg_id="x"))
    fake.down = False
    await deliver(zalo, FakeRasa(), *signed(msg_id="y"))
    assert fake.texts_to("u-1") == ["đã nhận: xin chào"]


async def test_a_failing_handler_is_logged_not_raised(channel, caplog):
    _, zalo = channel

    async def broken(_message):
        raise RuntimeError("boom")

    await deliver(zalo, broken, *signed())
    assert "zalo message from ***" in caplog.text


async def test_handling_happens_after_the_answer(channel):
    """accept() returns at once; the slow part runs in a task the request does not wait for."""
    _, zalo = channel
    gate = asyncio.Event()

    async def slow(_message):
        await gate.wait()

    accepted = zalo.webhook.accept(*signed())
    task = zalo.spawn(accepted.event, slow)
    assert accepted.status == 200 and not task.done()
    gate.set()
    await task


class FakeRedis:
    def __init__(self, fail=False):
        self.keys, self.fail = {}, fail

    def set(self, key, value, nx=False, ex=None):
        if self.fail:
            raise ConnectionError("redis down")
        if nx and key in self.keys:
            return None
        self.keys[key] = (value, ex)
        return True


def test_replicas_share_the_seen_events_through_redis():
    from bot.channels.zalo_events import RedisSeenSet

    shared = FakeRedis()
    replica_a, replica_b = RedisSeenSet(shared), RedisSeenSet(shared)
    assert replica_a.add("m-1") and not replica_b.add("m-1") and replica_b.add("m-2")
    assert all(ex == 3600 for _, ex in shared.keys.values())


def test_redis_down_falls_back_to_this_process(caplog):
    from bot.channels.zalo_events import RedisSeenSet

    seen = RedisSeenSet(FakeRedis(fail=True))
    assert seen.add("m-1") and not seen.add("m-1")
    assert "Redis failed" in caplog.text


def test_the_seen_set_is_redis_when_a_lock_store_is_configured():
    from bot.channels.zalo import seen_set
    from bot.channels.zalo_events import ExpiringSet, RedisSeenSet

    assert isinstance(seen_set({}), ExpiringSet)
    assert isinstance(seen_set({"LOCK_STORE_URL": "redis://:pw@127.0.0.1:6399/2"}), RedisSeenSet)
