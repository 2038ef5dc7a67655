"""Live handoff in the console: officers take, chat, transfer and close over a WebSocket (no trained model).

Rasa is a fake aiohttp server that records the calls and serves trackers.
"""

from __future__ import annotations

import asyncio
import re
import time
import weakref
from collections import defaultdict

import aiohttp
import pytest
from aiohttp import web

from replies import handoffs as say
from web.console.accounts import Accounts, make_engine
from web.console.live import QUEUE, RASA_DOWN, SETTINGS, TAKEN_BY_OTHER, conversation_ref, tell_places, tick
from web.console.web import make_console
from web.server import make_app

PASSWORD = "mat-khau-du-dai"
CENTRE = "mot-cua"
TOKEN = "token-cua-rasa"


class FakeRasa:
    """Rasa's HTTP API as the console uses it: trackers to read, events to post."""

    def __init__(self):
        self.trackers = defaultdict(list)
        self.posts = []
        self.gets = 0
        self.down = False
        self.post_delay_s = 0.0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/conversations/{id}/tracker", self.tracker)
        app.router.add_post("/conversations/{id}/tracker/events", self.events)
        return app

    async def tracker(self, request: web.Request) -> web.Response:
        self.gets += 1
        if self.down:
            return web.Response(status=503)
        assert request.query["token"] == TOKEN and request.query["include_events"] == "ALL"
        cid = request.match_info["id"]
        return web.json_response({"sender_id": cid, "events": self.trackers[cid]})

    async def events(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.post_delay_s)
        if self.down:
            return web.Response(status=503)
        body = await request.json()
        cid = request.match_info["id"]
        self.posts.append({"id": cid, "query": dict(request.query), "events": body})
        self.trackers[cid].extend(body)
        return web.json_response({"sender_id": cid, "events": self.trackers[cid]})

    def posted_to(self, cid: str) -> list:
        return [p for p in self.posts if p["id"] == cid]


@pytest.fixture
async def rasa(aiohttp_server):
    fake = FakeRasa()
    fake.server = await aiohttp_server(fake.app())
    return fake


@pytest.fixture
async def console(aiohttp_client, small_kb_dir, tmp_path, rasa, monkeypatch):
    monkeypatch.setenv("RASA_API_URL", str(rasa.server.make_url("/")).rstrip("/"))
    monkeypatch.setenv("RASA_AUTH_TOKEN", TOKEN)
    accounts = Accounts(make_engine(f"sqlite:///{tmp_path / 'console.sqlite3'}"))
    accounts.add_user("lan", PASSWORD)
    accounts.add_user("minh", PASSWORD)
    app = make_console(accounts, small_kb_dir)
    settings = app[SETTINGS]
    settings.poll_s = settings.snapshot_s = 0.05
    settings.transcript_ttl_s = 0.0
    settings.backoff_s = 0.01
    settings.timeout_s = 2.0
    settings.tick_s = 3600  # the tests run the background task's rounds themselves
    client = await aiohttp_client(make_app("http://localhost:5005", app))
    client.accounts, client.app_, client.queue = accounts, app, app[QUEUE]
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


async def log_in(client, name="lan"):
    page = await (await client.get("/console/login")).text()
    response = await client.post("/console/login", data={"csrf": csrf_of(page), "name": name, "password": PASSWORD},
                                 allow_redirects=False)
    assert response.status == 302


async def officer(aiohttp_client, console, name):
    """Another browser (own cookies) on the same console server, logged in as ``name``."""
    client = await aiohttp_client(console.server)
    await log_in(client, name)
    return client


def origin(client) -> str:
    return f"http://{client.host}:{client.port}"


async def socket(client):
    return await client.ws_connect(f"/console/live/ws?centre={CENTRE}", origin=origin(client))


_UNREAD = weakref.WeakKeyDictionary()  # socket -> messages read while waiting for another kind


async def until(ws, wanted, timeout=5.0):
    """The first message, in the order received, for which ``wanted(message)`` holds.

    Messages read while waiting for another kind are kept for the next call: the page's poll and the replies to
    its actions interleave, so "held" may come before the result of "take" when Rasa answers the take slowly.
    """
    unread = _UNREAD.setdefault(ws, [])
    for i, message in enumerate(unread):
        if wanted(message):
            return unread.pop(i)

    async def read():
        while True:
            message = await ws.receive_json()
            if wanted(message):
                return message
            unread.append(message)
    return await asyncio.wait_for(read(), timeout)


def result_of(action):
    return lambda m: m["type"] == "result" and m["action"] == action


async def take(ws, handoff_id):
    await ws.send_json({"type": "take", "id": handoff_id})
    return await until(ws, result_of("take"))


def audit(console):
    return [(e.user_name, e.action, e.diff) for e in console.accounts.history()]


async def test_a_websocket_without_a_session_or_from_another_site_is_refused(console):
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await console.ws_connect("/console/live/ws", origin=origin(console))
    await log_in(console)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await console.ws_connect("/console/live/ws", origin="https://evil.example")
    assert refused.value.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await console.ws_connect("/console/live/ws")  # no Origin at all
    ws = await socket(console)
    snapshot = await until(ws, lambda m: m["type"] == "queue")
    assert snapshot["officers"] == ["lan"] and console.queue.on_duty(CENTRE) == ["lan"]
    await ws.close()
    for _ in range(250):
        if not console.queue.on_duty(CENTRE):
            break
        await asyncio.sleep(0.02)
    assert console.queue.on_duty(CENTRE) == []  # checked out on disconnect


async def test_two_officers_taking_at_once_exactly_one_wins(console, aiohttp_client, rasa):
    handoff = console.queue.request("conv-1", "socketio", CENTRE)
    await log_in(console, "lan")
    other = await officer(aiohttp_client, console, "minh")
    ws1, ws2 = await socket(console), await socket(other)
    await ws1.send_json({"type": "take", "id": handoff.id})
    await ws2.send_json({"type": "take", "id": handoff.id})
    results = await asyncio.gather(until(ws1, result_of("take")), until(ws2, result_of("take")))
    assert sorted(r["ok"] for r in results) == [False, True]
    winner = ["lan", "minh"][[r["ok"] for r in results].index(True)]
    assert [r["text"] for r in results if not r["ok"]] == [TAKEN_BY_OTHER]
    stored = console.queue.get(handoff.id)
    assert stored.state == "active" and stored.officer == winner
    [post] = rasa.posted_to("conv-1")
    assert post["events"] == [{"event": "pause"}, {"event": "bot", "text": say.officer_joined(winner)}]
    assert post["query"] == {"output_channel": "latest", "execute_side_effects": "true", "token": TOKEN}
    [(who, action, diff)] = audit(console)
    assert (who, action) == (winner, "live-take") and conversation_ref("conv-1") in diff and "conv-1" not in diff


async def test_citizen_messages_reach_the_officer_and_the_officer_replies_on_the_citizen_channel(console, rasa):
    rasa.trackers["conv-2"] = [{"event": "action", "name": "action_lookup_dossier"},
                               {"event": "bot", "text": "Hồ sơ 000.00.00.H01-241231-**** đang xử lý."},
                               {"event": "user", "text": "cho tôi gặp cán bộ", "timestamp": 1.0}]
    handoff = console.queue.request("conv-2", "zalo", CENTRE)
    rasa.post_delay_s = 0.3  # a slow Rasa: the page's poll sees the conversation held before the take's result
    await log_in(console)
    ws = await socket(console)
    assert (await take(ws, handoff.id))["ok"]
    held = await until(ws, lambda m: m["type"] == "held")
    assert held["id"] == handoff.id and held["lookups"] == ["Hồ sơ 000.00.00.H01-241231-**** đang xử lý."]
    said = [line["who"] for line in held["transcript"]]
    assert said in (["bot", "citizen", "bot"], ["bot", "citizen"])
    if len(said) == 2:  # the page read the tracker before the take's greeting landed: it comes as a message
        assert (await until(ws, lambda m: m["type"] == "message"))["who"] == "bot"
    rasa.trackers["conv-2"].append({"event": "user", "text": "số tôi là 0912345678", "timestamp": time.time()})
    message = await until(ws, lambda m: m["type"] == "message")
    assert message["id"] == handoff.id and message["who"] == "citizen"
    assert "0912345678" not in message["text"] and message["text"].startswith("số tôi là")

    await ws.send_json({"type": "say", "id": handoff.id, "text": "Chào anh, em xem hồ sơ giúp anh nhé."})
    assert (await until(ws, result_of("say")))["ok"]
    post = rasa.posted_to("conv-2")[-1]
    assert post["query"] == {"output_channel": "latest", "execute_side_effects": "true", "token": TOKEN}
    assert post["events"] == [{"event": "bot", "text": "Chào anh, em xem hồ sơ giúp anh nhé.",
                               "metadata": {"officer": "lan"}}]


async def test_a_refresh_that_fails_while_the_socket_is_open_does_not_stop_the_page(console, rasa, monkeypatch):
    from web.console import live
    refresh, failures = live._refresh_held, []

    async def failing_once(app, officer):
        if not failures:
            failures.append(1)
            raise RuntimeError("not a closed socket")
        await refresh(app, officer)

    monkeypatch.setattr(live, "_refresh_held", failing_once)
    rasa.trackers["conv-9"] = [{"event": "user", "text": "cho tôi gặp cán bộ", "timestamp": 1.0}]
    handoff = console.queue.request("conv-9", "zalo", CENTRE)
    await log_in(console)
    ws = await socket(console)
    assert (await take(ws, handoff.id))["ok"]
    assert (await until(ws, lambda m: m["type"] == "held"))["id"] == handoff.id and failures


async def test_close_resumes_the_bot_says_goodbye_and_is_audited(console, rasa):
    handoff = console.queue.request("conv-3", "socketio", CENTRE)
    await log_in(console)
    ws = await socket(console)
    assert (await take(ws, handoff.id))["ok"]
    assert (await until(ws, lambda m: m["type"] == "held"))["id"] == handoff.id
    await ws.send_json({"type": "close", "id": handoff.id, "outcome": "bogus"})
    assert not (await until(ws, result_of("close")))["ok"]
    await ws.send_json({"type": "close", "id": handoff.id, "outcome": "answered"})
    assert (await until(ws, result_of("close")))["ok"]
    post = rasa.posted_to("conv-3")[-1]
    assert post["events"] == [{"event": "resume"}, {"event": "bot", "text": say.officer_left()}]
    assert post["query"]["output_channel"] == "latest"
    closed = console.queue.get(handoff.id)
    assert closed.state == "closed" and closed.outcome == "answered"
    who, action, diff = audit(console)[0]
    assert (who, action) == ("lan", "live-close") and "answered" in diff and "conv-3" not in diff
    assert (await until(ws, lambda m: m["type"] == "released"))["id"] == handoff.id


async def test_transfer_moves_the_conversation_and_shows_the_note_to_the_new_officer(console, aiohttp_client, rasa):
    handoff = console.queue.request("conv-4", "socketio", CENTRE)
    await log_in(console, "lan")
    other = await officer(aiohttp_client, console, "minh")
    ws1, ws2 = await socket(console), await socket(other)
    assert (await take(ws1, handoff.id))["ok"]
    assert (await until(ws1, lambda m: m["type"] == "held"))["id"] == handoff.id
    await ws1.send_json({"type": "transfer", "id": handoff.id, "to": "nobody", "note": "x"})
    assert not (await until(ws1, result_of("transfer")))["ok"]
    await ws1.send_json({"type": "transfer", "id": handoff.id, "to": "minh",
                         "note": "Hỏi về đất đai, SĐT 0912345678"})
    assert (await until(ws1, result_of("transfer")))["ok"]
    assert console.queue.get(handoff.id).officer == "minh"
    assert rasa.posted_to("conv-4")[-1]["events"] == [{"event": "bot", "text": say.transferred()}]
    held = await until(ws2, lambda m: m["type"] == "held")
    assert held["id"] == handoff.id and held["note"].startswith("Hỏi về đất đai") and "0912345678" not in held["note"]
    assert (await until(ws1, lambda m: m["type"] == "released"))["id"] == handoff.id
    assert audit(console)[0][:2] == ("lan", "live-transfer")


async def answer_form(console, question_id, text):
    page = await (await console.get("/console/live")).text()
    return await console.post(f"/console/live/left/{question_id}", data={"csrf": csrf_of(page), "answer": text})


async def test_a_zalo_answer_is_delivered_at_once_and_a_widget_answer_waits(console, rasa):
    zalo = console.queue.leave("zalo-user", "zalo", CENTRE, "Làm lại căn cước ở đâu?", "")
    widget = console.queue.leave("web-user", "socketio", CENTRE, "Phí làm hộ chiếu bao nhiêu?", "0912345678")
    await log_in(console)
    page = await (await console.get("/console/live")).text()
    assert zalo.code in page and widget.code in page and "0912345678" in page  # the contact, for calling back
    response = await console.post(f"/console/live/left/{zalo.id}", data={"answer": "Tại công an xã."})
    assert response.status == 403  # no CSRF token
    response = await answer_form(console, zalo.id, "Tại công an xã.")
    assert response.status == 200 and "Đã gửi vào Zalo" in await response.text()
    [post] = rasa.posted_to("zalo-user")
    assert post["query"] == {"output_channel": "zalo", "execute_side_effects": "true", "token": TOKEN}
    assert post["events"] == [{"event": "bot", "text": say.delivered_answer(zalo.code, "Tại công an xã.")}]
    assert console.queue.left(zalo.id).delivered_at is not None

    assert (await answer_form(console, widget.id, "200.000 đồng.")).status == 200
    await tick(console.app_)
    assert rasa.posted_to("web-user") == []
    stored = console.queue.left(widget.id)
    assert stored.answer == "200.000 đồng." and stored.delivered_at is None
    assert [a for _, a, _ in audit(console)] == ["live-answer", "live-answer"]
    assert len(rasa.posted_to("zalo-user")) == 1  # the background round does not send it again


async def test_when_rasa_is_down_the_officer_is_told_and_nothing_is_marked(console, rasa):
    handoff = console.queue.request("conv-5", "socketio", CENTRE)
    question = console.queue.leave("zalo-user", "zalo", CENTRE, "Làm lại căn cước ở đâu?", "")
    rasa.down = True
    await log_in(console)
    ws = await socket(console)
    result = await take(ws, handoff.id)
    assert not result["ok"] and result["text"] == RASA_DOWN
    assert console.queue.get(handoff.id).state == "waiting"  # back in the queue for when Rasa answers
    response = await answer_form(console, question.id, "Tại công an xã.")
    assert "chưa gửi được vào Zalo" in await response.text()
    await tick(console.app_)
    assert console.queue.left(question.id).delivered_at is None and rasa.posts == []

    rasa.down = False  # Rasa is back: the background round delivers it
    await tick(console.app_)
    assert console.queue.left(question.id).delivered_at is not None
    assert (await take(ws, handoff.id))["ok"]


async def test_the_live_page_shows_masked_transcripts(console, rasa):
    rasa.trackers["conv-6"] = [{"event": "user", "text": "Tôi tên Nguyễn Văn An, số 0912 345 678", "timestamp": 1.0},
                               {"event": "bot", "text": "Mình chuyển bạn đến cán bộ."}]
    console.queue.request("conv-6", "socketio", CENTRE)
    assert (await console.get("/console/live", allow_redirects=False)).status == 302
    await log_in(console)
    response = await console.get("/console/live")
    page = await response.text()
    assert response.status == 200 and "Mình chuyển bạn đến cán bộ." in page
    assert "0912 345 678" not in page and "0912345678" not in page and "conv-6" not in page
    assert "script-src" not in response.headers["Content-Security-Policy"]  # the console's own CSP: 'self' only
    assert '<script src="/console/static/live.js"' in page and "<script>" not in page
    rasa.down = True
    page = await (await console.get("/console/live")).text()
    assert "Không kết nối được với trợ lý ảo" in page


async def test_waiting_citizens_hear_when_their_place_changes(console, rasa):
    first = console.queue.request("conv-7", "socketio", CENTRE)
    console.queue.request("conv-8", "zalo", CENTRE)
    await tell_places(console.app_)
    assert rasa.posts == []  # they were told their place when queued
    console.queue.take(first.id, "lan")
    await tell_places(console.app_)
    await tell_places(console.app_)
    [post] = rasa.posts
    assert post["id"] == "conv-8" and post["events"][0]["text"].startswith(
        "Bạn đang ở vị trí số 1 trong hàng chờ")


async def test_the_figures_page_counts_handoffs(console):
    handoff = console.queue.request("conv-9", "socketio", CENTRE)
    console.queue.take(handoff.id, "lan")
    console.queue.close(handoff.id, "lan", "answered")
    await log_in(console)
    page = await (await console.get("/console/stats")).text()
    section = page[page.index('id="handoffs"'):]
    assert "Trung tâm Phục vụ hành chính công" in section and "Đã giải đáp: 1" in section
