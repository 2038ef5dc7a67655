"""Hostile input against the running stack: random Unicode, control characters, huge bodies,
wrong content types and malformed JSON on the REST, Zalo and socket.io endpoints.

The answer is always a 200 with a reply or a clear 4xx, never a 5xx, and the
servers stay up. Property-based (hypothesis) with a bounded number of examples.
"""

from __future__ import annotations

import json
import time

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.rest import MAX_BODY_BYTES
from deploy.stack import REQUEST_MAX_BYTES
from tests.bot.channels.test_zalo import signed
from tests.zalo_fake import APP_ID, OA_SECRET_KEY

pytestmark = pytest.mark.slow

HOSTILE = settings(max_examples=40, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any code point JSON can carry, control characters and emoji included.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4),
    max_leaves=10,
)
content_types = st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded",
                                 "multipart/form-data", "application/json; charset=latin-1", "", "image/png"])


@pytest.fixture(scope="module", autouse=True)
def no_stack_traces(stack):
    """Whatever arrives, the servers log no stack trace while this module runs."""
    start = stack.log_path.stat().st_size
    yield
    with stack.log_path.open(encoding="utf-8") as log:
        log.seek(start)
        written = log.read()
    assert "Traceback" not in written, written[written.index("Traceback") - 300:][:2000]


def _rest(stack) -> str:
    return f"{stack.rasa_url}/webhooks/rest/webhook"


def _assert_polite(response: requests.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code == 200:
        replies = response.json()
        assert isinstance(replies, list) and replies, response.text[:300]
        assert all(isinstance(r.get("text", ""), str) for r in replies)
    else:
        assert 400 <= response.status_code < 500 and response.text


def _still_up(stack) -> None:
    assert requests.get(f"{stack.rasa_url}/", timeout=10).status_code == 200
    reply = requests.post(_rest(stack), json={"sender": "after-the-storm", "message": "xin chào"}, timeout=30)
    assert reply.status_code == 200 and reply.json()


@HOSTILE
@given(text=any_text)
def test_rest_any_unicode_message_gets_a_reply(stack, text):
    response = requests.post(_rest(stack), json={"sender": "hostile-text", "message": text}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    _assert_polite(response)


@HOSTILE
@given(body=st.binary(max_size=2000) | json_values.map(lambda v: json.dumps(v).encode()), content_type=content_types)
def test_rest_malformed_bodies_get_a_clear_4xx_or_a_reply(stack, body, content_type):
    response = requests.post(_rest(stack), data=body, headers={"Content-Type": content_type}, timeout=30)
    _assert_polite(response)


def test_rest_size_limits_are_explicit(stack):
    over_channel = json.dumps({"sender": "big", "message": "a" * MAX_BODY_BYTES}).encode()
    response = requests.post(_rest(stack), data=over_channel, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    over_server = b"{" + b" " * (REQUEST_MAX_BYTES + 1) + b"}"
    response = requests.post(_rest(stack), data=over_server, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 413
    just_under = {"sender": "big", "message": "thủ tục " * 4000}  # ~40 KB of text: answered politely
    _assert_polite(requests.post(_rest(stack), json=just_under, timeout=60))
    _still_up(stack)


@HOSTILE
@given(body=st.binary(max_size=2000), content_type=content_types)
def test_zalo_unsigned_garbage_is_refused(stack, body, content_type):
    response = requests.post(f"{stack.rasa_url}/webhooks/zalo/webhook", data=body,
                             headers={"Content-Type": content_type}, timeout=30)
    assert 400 <= response.status_code < 500, response.status_code


@HOSTILE
@given(payload=json_values, text=any_text)
def test_zalo_signed_but_strange_events_never_break_the_server(stack, payload, text):
    """Correctly signed bodies with unexpected shapes: refused or accepted, never a 5xx."""
    from bot.channels.zalo_signature import signature

    ts = str(int(time.time() * 1000))
    for event in (payload, {"app_id": APP_ID, "timestamp": ts, "event_name": "user_send_text",
                            "sender": payload, "message": {"text": text, "msg_id": text[:20]}}):
        body = json.dumps(event, ensure_ascii=False).encode()
        header = signature(APP_ID, body, ts, OA_SECRET_KEY)
        response = requests.post(f"{stack.rasa_url}/webhooks/zalo/webhook", data=body, timeout=30,
                                 headers={"Content-Type": "application/json", "X-ZEvent-Signature": header})
        assert response.status_code < 500, (response.status_code, response.text[:200])


def test_zalo_huge_body_is_refused(stack):
    header, _ = signed(text="x")
    response = requests.post(f"{stack.rasa_url}/webhooks/zalo/webhook", data=b"{" + b" " * 200_000 + b"}",
                             headers={"Content-Type": "application/json", "X-ZEvent-Signature": header}, timeout=30)
    assert response.status_code == 413
    _still_up(stack)


async def test_socketio_garbage_then_a_real_question(stack):
    """Payloads of every wrong shape, then a real message on the same connection: it is answered."""
    import asyncio

    import socketio

    client = socketio.AsyncClient(reconnection=False)
    heard: asyncio.Queue = asyncio.Queue()
    confirmed: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", lambda data: heard.put_nowait(data))
    client.on("session_confirm", lambda data: confirmed.put_nowait(data))
    await client.connect(stack.rasa_url, transports=["polling"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": "hostile-socket"})
        session_id = await asyncio.wait_for(confirmed.get(), 10)
        await client.emit("user_uttered")  # no payload at all
        await client.emit("session_request")
        for garbage in (None, "text", 42, [1, 2], {"message": 5, "session_id": session_id},
                        {"message": "x"}, {"message": "\x00\u202e" * 50, "session_id": session_id,
                                           "metadata": "{not json"}):
            await client.emit("user_uttered", garbage)
        await client.emit("user_uttered", {"message": "làm hộ chiếu mất bao lâu", "session_id": session_id})
        texts = []
        deadline = time.monotonic() + 60
        while not any("hộ chiếu" in t.lower() for t in texts) and time.monotonic() < deadline:
            data = await asyncio.wait_for(heard.get(), max(1, deadline - time.monotonic()))
            texts.append(data.get("text") or "")
        assert any("hộ chiếu" in t.lower() for t in texts), texts
    finally:
        await client.disconnect()
    _still_up(stack)
