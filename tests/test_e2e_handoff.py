"""Live handoff to officers (issue 19) end to end: the widget, Zalo and REST citizens, officers in the console.

Everything runs against the session's stack (tests/conftest.py): the citizen talks to the running Rasa server,
the officer uses the console's live page (in Chromium) or its WebSocket (a client logged in as an officer, as
the page is), the queue lives in the stack's console database. Office hours depend on the real clock, so each
test first writes a centre into the stack's knowledge copy (open all day, or with no hours) and restores the
file afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
import uuid
from io import StringIO
from pathlib import Path
from typing import Any, Callable, Dict, List

import aiohttp
import pytest
from ruamel.yaml import YAML

from records.handoffs import ACTIVE, CLOSED, WAITING, HandoffQueue
from replies import handoffs as say
from tests.bot.channels.test_zalo import signed
from tests.chat_client import api_token
from web.console.accounts import Accounts, make_engine

pytestmark = pytest.mark.slow

CENTRE = "mot-cua"
PASSWORD = "mat-khau-can-bo-truc"
OFFICER_1, OFFICER_2, OFFICER_3 = "can-bo-truc-1", "can-bo-truc-2", "can-bo-truc-3"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CODE = re.compile(r"HD-[A-Z0-9]{6}")
PASSPORT = "làm hộ chiếu cần giấy tờ gì"
SILENCE_S = 4.0  # how long the bot must stay quiet while an officer holds the conversation


# ---------------------------------------------------------------- office hours

def _desk_text(original: str, open_all_day: bool) -> str:
    yaml = YAML()
    data = yaml.load(original)
    data["centres"] = [{
        "id": CENTRE, "name": "Trung tâm Phục vụ hành chính công",
        "hours": {day: ["00:00-23:59"] for day in WEEKDAYS} if open_all_day else {},
        "holidays": [],
    }]
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _write(path: Path, text: str) -> None:
    """Atomically, so a server reloading the file never reads half of it."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _queue(stack) -> HandoffQueue:
    return HandoffQueue(make_engine(stack.extra_env["CONSOLE_DB_URL"]))


def _abandon_waiting(stack) -> None:
    """No citizen left waiting by another test: each test counts the queue from one."""
    queue = _queue(stack)
    for handoff in queue.listing([WAITING]):
        queue.abandon(handoff.id)


def _desk(stack, open_all_day: bool):
    path = stack.workdir / "knowledge" / "service_desk.yml"
    original = path.read_text(encoding="utf-8")
    _abandon_waiting(stack)
    _write(path, _desk_text(original, open_all_day))
    time.sleep(2.5)  # every server re-reads changed knowledge within a second or two
    try:
        yield
    finally:
        _write(path, original)
        _abandon_waiting(stack)
        time.sleep(1.5)


@pytest.fixture
def open_centre(stack):
    """A centre open every day, all day (Viet Nam time)."""
    yield from _desk(stack, True)


@pytest.fixture
def closed_centre(stack):
    """A centre with no office hours: nobody can chat live, a question can be left."""
    yield from _desk(stack, False)


# ---------------------------------------------------------------- officers

def _account(stack, name: str, role: str = "admin") -> Accounts:
    accounts = Accounts(make_engine(stack.extra_env["CONSOLE_DB_URL"]))
    try:
        accounts.add_user(name, PASSWORD, role)
    except ValueError:
        pass  # created by an earlier test of this session
    return accounts


class OfficerSocket:
    """An officer's live page without the page: the console's WebSocket, with that officer's session cookie."""

    def __init__(self, stack, name: str):
        self.stack, self.name = stack, name
        self.messages: List[Dict[str, Any]] = []
        self.session = _account(stack, name).login(name, PASSWORD)
        self.http: aiohttp.ClientSession | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task | None = None

    @property
    def headers(self) -> Dict[str, str]:
        return {"Cookie": f"tl_console={self.session.token}"}

    async def __aenter__(self) -> OfficerSocket:
        self.http = aiohttp.ClientSession(headers=self.headers, timeout=aiohttp.ClientTimeout(total=30))
        url = self.stack.widget_url.replace("http://", "ws://") + f"/console/live/ws?centre={CENTRE}"
        self.ws = await self.http.ws_connect(url, headers={"Origin": self.stack.widget_url})
        self._reader = asyncio.create_task(self._read())
        await self.wait_for(lambda m: m["type"] == "queue" and self.name in m["officers"])
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
        await self.http.close()

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))

    async def send(self, kind: str, handoff_id: int, **fields: Any) -> None:
        await self.ws.send_str(json.dumps({"type": kind, "id": handoff_id, **fields}))

    async def wait_for(self, predicate: Callable[[Dict[str, Any]], bool], timeout: float = 30,
                       after: int = 0) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages[after:]:
                if predicate(message):
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} never got the expected message; got {self.messages[after:]}")
            await asyncio.sleep(0.1)

    async def act(self, kind: str, handoff_id: int, **fields: Any) -> Dict[str, Any]:
        """Send an action and return its result."""
        mark = len(self.messages)
        await self.send(kind, handoff_id, **fields)
        return await self.wait_for(lambda m: m["type"] == "result" and m["action"] == kind
                                   and m["id"] == handoff_id, after=mark)

    async def answer_left(self, question_id: int, text: str) -> str:
        """The left question's answer form, posted as the live page posts it (CSRF token included)."""
        async with self.http.post(f"{self.stack.widget_url}/console/live/left/{question_id}?centre={CENTRE}",
                                  data={"csrf": self.session.csrf, "answer": text}) as response:
            assert response.status == 200, await response.text()
            return await response.text()


async def wait_until(check: Callable[[], Any], timeout: float = 30, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


# ---------------------------------------------------------------- citizens: REST, Zalo, tracker

async def rest_say(stack, sender: str, text: str) -> str:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        async with session.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                                json={"sender": sender, "message": text}) as response:
            assert response.status == 200, await response.text()
            return "\n".join(m.get("text", "") for m in await response.json())


async def tracker_events(stack, conversation: str) -> List[Dict[str, Any]]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.get(f"{stack.rasa_url}/conversations/{conversation}/tracker",
                               params={"include_events": "ALL", "token": api_token()}) as response:
            assert response.status == 200, await response.text()
            return (await response.json())["events"]


def bot_texts_after_user(events: List[Dict[str, Any]], text: str) -> List[str]:
    """The bot's messages after the citizen's last message ``text``."""
    last = max(i for i, e in enumerate(events) if e.get("event") == "user" and e.get("text") == text)
    return [e.get("text") or "" for e in events[last + 1:] if e.get("event") == "bot"]


class ZaloCitizen:
    def __init__(self, stack, zalo_fake):
        self.stack, self.fake = stack, zalo_fake.fake
        self.user = f"zalo-handoff-{uuid.uuid4().hex[:10]}"
        self.conversation = f"zalo:{self.user}"
        self._n = 0

    def texts(self) -> List[str]:
        return self.fake.texts_to(self.user)

    async def post(self, text: str) -> None:
        self._n += 1
        header, body = signed(text=text, user=self.user, msg_id=f"{self.user}-{self._n}")
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            async with session.post(f"{self.stack.rasa_url}/webhooks/zalo/webhook", data=body,
                                    headers={"Content-Type": "application/json",
                                             "X-ZEvent-Signature": header}) as response:
                assert response.status == 200, await response.text()

    async def says(self, text: str, expect: str, timeout: float = 60) -> List[str]:
        """Post ``text`` and wait for a new message to this user containing ``expect``; the new messages."""
        before = len(self.texts())
        await self.post(text)
        await wait_until(lambda: any(expect in t for t in self.texts()[before:]), timeout,
                         f"{expect!r} on Zalo after {text!r}: {self.texts()[before:]}")
        return self.texts()[before:]

    async def receives(self, expect: str, timeout: float = 30) -> None:
        await wait_until(lambda: any(expect in t for t in self.texts()), timeout,
                         f"{expect!r} on Zalo: {self.texts()}")

    async def ignored(self, text: str, officer: OfficerSocket, handoff_id: int) -> None:
        """``text`` reaches the officer holding the conversation, and the bot says nothing back."""
        before, mark = len(self.texts()), len(officer.messages)
        await self.post(text)
        await officer.wait_for(lambda m: m.get("id") == handoff_id and (
            (m["type"] == "message" and m["who"] == "citizen" and m["text"] == text)
            or (m["type"] == "held" and any(line["who"] == "citizen" and line["text"] == text
                                            for line in m["transcript"]))), after=mark)
        await asyncio.sleep(SILENCE_S)
        assert self.texts()[before:] == []
        assert bot_texts_after_user(await tracker_events(self.stack, self.conversation), text) == []


# ---------------------------------------------------------------- the widget

async def open_widget(browser, stack):
    context = await browser.new_context(locale="vi-VN", bypass_csp=True)
    page = await context.new_page()
    await page.goto(stack.widget_url + "/")
    await page.get_by_role("button", name="Mở hộp trò chuyện với Trợ lý Dịch vụ công").click()
    await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").wait_for()
    return page


async def widget_conversation(page) -> str:
    session = await page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).sessionId")
    return "web:" + session.split(".")[0]


async def bot_count(page) -> int:
    return await page.locator(".tl-bot").count()


async def widget_type(page, text: str) -> int:
    """Type a message in the widget; the number of bot messages shown before it."""
    before = await bot_count(page)
    await page.get_by_label("Nhập câu hỏi của bạn").fill(text)
    await page.keyboard.press("Enter")
    return before


async def widget_sees(page, text: str, after: int = 0, timeout: float = 60) -> None:
    """A bot message (from index ``after`` on) containing ``text`` is shown."""
    await page.wait_for_function(
        "([after, text]) => [...document.querySelectorAll('.tl-bot')].slice(after)"
        ".some(e => e.innerText.includes(text))", arg=[after, text], timeout=timeout * 1000)


async def widget_bot_texts(page, after: int) -> List[str]:
    return (await page.locator(".tl-bot").all_inner_texts())[after:]


async def officer_page(browser, stack, name: str):
    _account(stack, name)
    context = await browser.new_context(locale="vi-VN")
    page = await context.new_page()
    await page.goto(stack.widget_url + "/console/")
    await page.get_by_label("Tên đăng nhập").fill(name)
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url("**/console/")
    await page.goto(stack.widget_url + f"/console/live?centre={CENTRE}")
    await page.locator("#officers li", has_text=name).wait_for()  # the socket is open: on duty
    return page


# ---------------------------------------------------------------- the tests

async def test_widget_citizen_chats_with_an_officer_who_transfers_and_closes(browser, stack, open_centre):
    officer = await officer_page(browser, stack, OFFICER_1)
    citizen = await open_widget(browser, stack)

    before = await widget_type(citizen, "cho tôi gặp cán bộ")
    await citizen.locator(".tl-buttons button", has_text="Chat với cán bộ").wait_for(timeout=60_000)
    await citizen.locator(".tl-buttons button", has_text="Chat với cán bộ").last.click()
    await widget_sees(citizen, "vị trí số 1 trong hàng chờ", before)
    conversation = await widget_conversation(citizen)
    handoff = _queue(stack).open_for(conversation)
    assert handoff is not None and handoff.state == WAITING and handoff.channel == "socketio"

    # The officer sees the waiting citizen with what they said so far, and takes the conversation.
    waiting = officer.locator("#waiting section.waiting")
    await waiting.filter(has_text="cho tôi gặp cán bộ").wait_for()
    assert await waiting.count() == 1
    mark = await bot_count(citizen)
    await waiting.get_by_role("button", name="Nhận cuộc trò chuyện").click()
    await widget_sees(citizen, say.officer_joined(OFFICER_1), mark)
    held = officer.locator("#held section.held")
    await held.wait_for()
    assert _queue(stack).get(handoff.id).state == ACTIVE

    # Both ways.
    mark = await bot_count(citizen)
    await held.locator("form[aria-label='Nhắn người dân'] textarea").fill("Chào bạn, tôi là cán bộ một cửa.")
    await held.get_by_role("button", name="Gửi").click()
    await widget_sees(citizen, "Chào bạn, tôi là cán bộ một cửa.", mark)
    await widget_type(citizen, "em chào cán bộ ạ")
    await held.locator("ol.transcript li.citizen", has_text="em chào cán bộ ạ").wait_for()

    # While the officer holds the conversation the bot answers nothing; only the officer reads the question.
    mark = await widget_type(citizen, PASSPORT)
    await held.locator("ol.transcript li.citizen", has_text=PASSPORT).wait_for()
    await asyncio.sleep(SILENCE_S)
    assert await widget_bot_texts(citizen, mark) == []
    assert bot_texts_after_user(await tracker_events(stack, conversation), PASSPORT) == []

    # Transfer to a second officer on duty, who answers and closes.
    async with OfficerSocket(stack, OFFICER_2) as second:
        await held.locator(f"select.transfer-to option[value='{OFFICER_2}']").wait_for(state="attached")
        transfer = held.locator("form[aria-label='Chuyển cán bộ khác']")
        await transfer.locator("select").select_option(OFFICER_2)
        await transfer.locator("input").fill("Người dân hỏi giấy tờ làm hộ chiếu")
        mark = await bot_count(citizen)
        await transfer.get_by_role("button", name="Chuyển").click()
        await widget_sees(citizen, say.transferred(), mark)
        got = await second.wait_for(lambda m: m["type"] == "held" and m["id"] == handoff.id)
        assert got["note"] == "Người dân hỏi giấy tờ làm hộ chiếu"
        assert any(line["text"] == PASSPORT for line in got["transcript"])
        await officer.locator("#held section.held").wait_for(state="detached")  # no longer the first officer's

        mark = await bot_count(citizen)
        assert (await second.act("say", handoff.id, text="Bạn cần tờ khai và căn cước nhé."))["ok"]
        await widget_sees(citizen, "Bạn cần tờ khai và căn cước nhé.", mark)
        mark = await bot_count(citizen)
        result = await second.act("close", handoff.id, outcome="answered")
        assert result["ok"], result
        await widget_sees(citizen, say.officer_left(), mark)

    closed = _queue(stack).get(handoff.id)
    assert (closed.state, closed.officer, closed.outcome) == (CLOSED, OFFICER_2, "answered")

    # The bot is back.
    mark = await widget_type(citizen, PASSPORT)
    await widget_sees(citizen, "hộ chiếu", mark)
    await citizen.context.close()
    await officer.context.close()


async def test_two_officers_take_at_the_same_moment_and_exactly_one_wins(stack, open_centre):
    sender = f"handoff-race-{uuid.uuid4().hex[:8]}"
    async with OfficerSocket(stack, OFFICER_2) as first, OfficerSocket(stack, OFFICER_3) as second:
        assert "vị trí số" in await rest_say(stack, sender, "/talk_to_officer")
        handoff = _queue(stack).open_for(f"rest:{sender}")
        assert handoff is not None and handoff.state == WAITING
        for officer in (first, second):  # both see it waiting
            await officer.wait_for(lambda m: m["type"] == "queue" and any(w["id"] == handoff.id for w in m["waiting"]))
        results = await asyncio.gather(first.act("take", handoff.id), second.act("take", handoff.id))
        winners = [o for o, r in zip((first, second), results, strict=True) if r["ok"]]
        assert len(winners) == 1, results
        loser_result = next(r for r in results if not r["ok"])
        assert "khác đã nhận" in loser_result["text"] or "không còn chờ" in loser_result["text"]
        assert _queue(stack).get(handoff.id).officer == winners[0].name
        events = await tracker_events(stack, f"rest:{sender}")
        assert [e["event"] for e in events].count("pause") == 1
        assert [e.get("text") for e in events if e["event"] == "bot"].count(say.officer_joined(winners[0].name)) == 1
        assert (await winners[0].act("close", handoff.id, outcome="no_reply"))["ok"]


async def test_zalo_citizen_chats_with_an_officer_and_the_bot_stays_silent(stack, zalo_fake, open_centre):
    citizen = ZaloCitizen(stack, zalo_fake)
    async with OfficerSocket(stack, OFFICER_2) as officer:
        shown = await citizen.says("cho tôi gặp cán bộ", "Chat với cán bộ")
        assert any("1. Chat với cán bộ" in t for t in shown), shown
        await citizen.says("1", "vị trí số 1 trong hàng chờ")  # the numbered option of the button
        handoff = _queue(stack).open_for(citizen.conversation)
        assert handoff is not None and handoff.channel == "zalo"

        assert (await officer.act("take", handoff.id))["ok"]
        await citizen.receives(say.officer_joined(OFFICER_2))
        assert (await officer.act("say", handoff.id, text="Chào bạn, cán bộ một cửa đây."))["ok"]
        await citizen.receives("Chào bạn, cán bộ một cửa đây.")
        await citizen.ignored(PASSPORT, officer, handoff.id)

        assert (await officer.act("close", handoff.id, outcome="answered"))["ok"]
        await citizen.receives(say.officer_left())
    shown = await citizen.says(PASSPORT, "hộ chiếu")
    assert not any(say.officer_left() in t for t in shown)


async def test_outside_hours_a_left_question_is_answered_on_zalo_in_the_widget_and_by_code(
        browser, stack, zalo_fake, closed_centre):
    # Zalo: offered to leave a question, leaves it, gets a code.
    zalo = ZaloCitizen(stack, zalo_fake)
    shown = await zalo.says("/talk_to_officer", "Hiện ngoài giờ làm việc")
    assert any("1. Để lại câu hỏi cho cán bộ" in t for t in shown) and not any("Chat với cán bộ" in t for t in shown)
    await zalo.says("1", say.ASK_QUESTION[:40])
    await zalo.says("Con tôi sinh ở nước ngoài thì đăng ký khai sinh ở đâu ạ?", say.ASK_CONTACT[:40])
    shown = await zalo.says("không", "mã câu hỏi")
    zalo_code = CODE.search("\n".join(shown)).group(0)

    # The widget: the same, by the button.
    citizen = await open_widget(browser, stack)
    mark = await widget_type(citizen, "/talk_to_officer")
    await widget_sees(citizen, "Hiện ngoài giờ làm việc", mark)
    await citizen.locator(".tl-buttons button", has_text="Để lại câu hỏi cho cán bộ").last.click()
    await widget_sees(citizen, say.ASK_QUESTION[:40], mark)
    mark = await widget_type(citizen, "Tôi mất giấy khai sinh bản gốc thì xin cấp lại ở đâu?")
    await widget_sees(citizen, say.ASK_CONTACT[:40], mark)
    mark = await widget_type(citizen, "không")
    await widget_sees(citizen, "mã câu hỏi", mark)
    widget_code = CODE.search("\n".join(await widget_bot_texts(citizen, mark))).group(0)
    assert widget_code != zalo_code

    queue = _queue(stack)
    left_zalo, left_web = queue.by_code(zalo_code), queue.by_code(widget_code)
    assert (left_zalo.channel, left_zalo.contact, left_zalo.answer) == ("zalo", "", "")
    assert left_web.channel == "socketio" and left_web.conversation_id == await widget_conversation(citizen)

    # The code before any answer: still waiting.
    assert "đang chờ cán bộ" in await rest_say(stack, f"code-{uuid.uuid4().hex[:8]}", f"mã của tôi là {zalo_code}")

    async with OfficerSocket(stack, OFFICER_1) as officer:
        page = await officer.answer_left(left_zalo.id, "Bạn đăng ký tại cơ quan đại diện Việt Nam ở nước ngoài.")
        assert "Đã gửi vào Zalo của người dân" in page
        page = await officer.answer_left(left_web.id, "Bạn đến Ủy ban nhân dân xã nơi đã đăng ký khai sinh.")
        assert "khi quay lại khung chat" in page

    # Zalo: delivered at once.
    await zalo.receives(say.delivered_answer(zalo_code, "Bạn đăng ký tại cơ quan đại diện Việt Nam ở nước ngoài."))
    assert queue.by_code(zalo_code).delivered_at is not None
    # The widget: shown when the citizen comes back.
    await citizen.reload()
    await widget_sees(citizen, f"Cán bộ đã trả lời câu hỏi {widget_code}")
    await widget_sees(citizen, "Bạn đến Ủy ban nhân dân xã nơi đã đăng ký khai sinh.")
    assert queue.by_code(widget_code).delivered_at is not None
    await citizen.context.close()
    # Any channel: the code shows the answer.
    stranger = f"code-{uuid.uuid4().hex[:8]}"
    text = await rest_say(stack, stranger, f"xem trả lời {zalo_code.lower()}")
    assert "Bạn đăng ký tại cơ quan đại diện Việt Nam ở nước ngoài." in text and zalo_code in text
    text = await rest_say(stack, stranger, widget_code)
    assert "Bạn đến Ủy ban nhân dân xã nơi đã đăng ký khai sinh." in text


async def restart_rasa(stack) -> None:
    """Replace the stack's Rasa server (SIGTERM, then the same command on the same port and stores).

    The new server is spawned in this (the main) thread: a server gets SIGTERM when the thread that
    started it ends. Its readiness is awaited in another thread, so that this loop keeps answering the
    console's websocket heartbeats meanwhile (a minute of model loading would otherwise close the socket).
    """
    stack.restart("rasa", wait=False)
    await asyncio.to_thread(stack.wait_ready)


async def test_rasa_restart_in_the_middle_of_a_handoff_keeps_the_bot_silent(stack, zalo_fake, open_centre):
    citizen = ZaloCitizen(stack, zalo_fake)
    async with OfficerSocket(stack, OFFICER_3) as officer:
        await citizen.says("/talk_to_officer", "vị trí số 1 trong hàng chờ")
        handoff = _queue(stack).open_for(citizen.conversation)
        assert (await officer.act("take", handoff.id))["ok"]
        await citizen.receives(say.officer_joined(OFFICER_3))

        await restart_rasa(stack)

        await citizen.ignored(PASSPORT, officer, handoff.id)
        assert (await officer.act("say", handoff.id, text="Sau khi khởi động lại, cán bộ vẫn ở đây."))["ok"]
        await citizen.receives("Sau khi khởi động lại, cán bộ vẫn ở đây.")
        assert (await officer.act("close", handoff.id, outcome="answered"))["ok"]
        await citizen.receives(say.officer_left())
    await citizen.says(PASSPORT, "hộ chiếu")
