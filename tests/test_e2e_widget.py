"""The web widget in headless Chromium (Debian's), against the running stack."""

from __future__ import annotations

import asyncio
import json
import shutil
import time

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
MARKUP = "<img src=x onerror=alert(1)>"
BOT_REPLY = '[data-from="bot"]'
CLEAR = "Xóa cuộc trò chuyện"
HOUR_MS = 3600 * 1000
# A stand-in for the socket.io client: records what the widget sends, lets a test fire events.
FAKE_IO = """
  window.sent = [];
  window.io = function () {
    var handlers = {};
    window.fakeSocket = {
      on: function (name, fn) { handlers[name] = fn; },
      emit: function (name, data) { window.sent.push([name, data]); },
      fire: function (name, data) { handlers[name](data); }
    };
    setTimeout(function () { handlers.connect(); }, 0);
    return window.fakeSocket;
  };
"""


@pytest.fixture
async def page(browser):
    # bypass_csp only lets the test's own probes (wait_for_function) run; the widget's
    # safety does not rest on the demo page's CSP: its texts never become HTML.
    context = await browser.new_context(locale="vi-VN", bypass_csp=True)
    page = await context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    await context.close()


async def open_chat(page, url):
    await page.goto(url)
    await page.get_by_role("button", name="Mở hộp trò chuyện với Trợ lý Dịch vụ công").click()
    await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").wait_for()


async def ask(page, text: str) -> None:
    before = await page.locator(".tl-bot").count()
    await page.get_by_label("Nhập câu hỏi của bạn").fill(text)
    await page.keyboard.press("Enter")
    await page.wait_for_function(
        f"document.querySelectorAll('.tl-bot').length > {before}", timeout=60_000
    )


async def last_bot_text(page) -> str:
    return await page.locator(".tl-bot").last.inner_text()


async def test_ask_and_see_the_answer(page, stack):
    await open_chat(page, stack.widget_url + "/")
    await ask(page, "làm hộ chiếu hết bao nhiêu tiền")
    await page.wait_for_function("document.body.innerText.includes('Phí, lệ phí')", timeout=30_000)
    assert await page.locator(".tl-user .tl-text").last.inner_text() == "làm hộ chiếu hết bao nhiêu tiền"
    # The source line may come in a later bubble of the same answer than its first line: wait for it.
    await page.wait_for_selector(".tl-bot a[href^='https://']", timeout=30_000)
    links = page.locator(".tl-bot a[href^='https://']")
    assert await links.count() >= 1  # the source address is a link
    assert await page.locator(".tl-typing").is_hidden()


async def test_click_a_button(page, stack):
    await open_chat(page, stack.widget_url + "/")
    await ask(page, "căn cước")
    buttons = page.locator(".tl-buttons button")
    await buttons.first.wait_for()
    title = await buttons.first.inner_text()
    await buttons.first.click()
    await page.wait_for_function("document.querySelectorAll('.tl-user').length >= 2", timeout=30_000)
    assert (await page.locator(".tl-user").last.inner_text()).endswith(title)
    await page.wait_for_function(
        "[...document.querySelectorAll('.tl-bot')].some(e => e.innerText.includes('Nguồn:'))", timeout=60_000
    )


async def test_reload_keeps_history_and_conversation(page, stack):
    await open_chat(page, stack.widget_url + "/")
    await ask(page, "đăng ký khai sinh mất bao lâu")
    # The reply is several messages; count them once its last one (the feedback question) is shown.
    await page.wait_for_function("document.body.innerText.includes('Nguồn:')", timeout=60_000)
    await page.wait_for_function("document.body.innerText.includes('Thông tin này có giúp ích')", timeout=60_000)
    session = await page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).sessionId")
    shown = await page.locator(".tl-msg").count()
    await page.reload()
    await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").wait_for()  # stays open
    assert await page.locator(".tl-msg").count() == shown
    await page.wait_for_function(
        f"JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).sessionId === {json.dumps(session)}"
    )
    await ask(page, "còn lệ phí thì sao")
    await page.wait_for_function(
        "[...document.querySelectorAll('.tl-bot')].slice(-3).some(e => e.innerText.includes('khai sinh'))",
        timeout=60_000,
    )


async def test_markup_typed_by_the_citizen_is_text(page, stack):
    await open_chat(page, stack.widget_url + "/")
    await ask(page, MARKUP)
    assert MARKUP in await page.locator(".tl-user").last.inner_text()
    assert await page.locator(".tl-log img").count() == 0
    assert page.dialogs == []


async def test_markup_from_the_bot_side_is_text(page, stack):
    """A bot message with markup in its text, links and buttons, through a stand-in socket."""
    await page.goto(stack.widget_url + "/health")  # same origin as the widget, but not the demo page
    await page.evaluate("localStorage.clear()")
    await page.set_content(
        f"<html><body><script>{FAKE_IO}</script>"
        f"<script src='{stack.widget_url}/widget.js' data-server='http://127.0.0.1:9'></script></body></html>"
    )
    await page.get_by_role("button", name="Mở hộp trò chuyện với Trợ lý Dịch vụ công").click()
    message = {"text": MARKUP + "\n1. <b>x</b> https://example.org/?q=<script>",
               "quick_replies": [{"title": MARKUP, "payload": "/greet"}]}
    await page.evaluate("m => window.fakeSocket.fire('bot_uttered', m)", message)
    text = await last_bot_text(page)
    assert MARKUP in text and "<b>x</b>" in text
    assert await page.locator(".tl-log img, .tl-log b, .tl-log script").count() == 0
    assert await page.locator(".tl-buttons button").last.inner_text() == MARKUP
    await page.locator(".tl-buttons button").last.click()
    assert ["user_uttered", {"message": "/greet", "session_id": None}] in await page.evaluate("window.sent")
    assert page.dialogs == []


async def test_phone_screen_and_keyboard(browser, stack):
    context = await browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                        bypass_csp=True)
    page = await context.new_page()
    await page.goto(stack.widget_url + "/")
    await page.keyboard.press("Tab")
    toggle = page.get_by_role("button", name="Mở hộp trò chuyện với Trợ lý Dịch vụ công")
    for _ in range(10):  # the widget's button is reachable by keyboard
        if await toggle.evaluate("b => b === document.activeElement"):
            break
        await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    panel = page.get_by_role("dialog", name="Trợ lý Dịch vụ công")
    await panel.wait_for()
    box = await panel.bounding_box()
    assert box["width"] == 375 and box["height"] >= 600
    assert await page.get_by_label("Nhập câu hỏi của bạn").evaluate("i => i === document.activeElement")
    assert await page.locator('[role="log"][aria-live="polite"]').count() == 1
    await page.keyboard.press("Escape")
    assert await panel.is_hidden() and await toggle.evaluate("b => b === document.activeElement")
    await context.close()


# ---------------------------------------------------------------- forgetting the transcript (shared computers)

async def stored(page) -> dict:
    """The widget's state in localStorage ({} when nothing is kept)."""
    return await page.evaluate(
        "(() => { const k = Object.keys(localStorage).find(k => k.startsWith('tro-ly-dvc:'));"
        " return k ? JSON.parse(localStorage.getItem(k)) : {}; })()"
    )


async def keep(page, state: dict) -> None:
    """Put `state` where the widget keeps its own (the page has loaded the widget once)."""
    await page.evaluate(
        "s => localStorage.setItem(Object.keys(localStorage).find(k => k.startsWith('tro-ly-dvc:')),"
        " JSON.stringify(s))",
        state,
    )


def old_conversation(age_hours: float | None, secret: str, session: str = "phien-cu-0001") -> dict:
    state = {"sessionId": session, "open": True, "messages": [
        {"from": "bot", "text": "Xin chào!"},
        {"from": "user", "text": "tra cứu hồ sơ 000.00.01.H12-240101-0001"},
        {"from": "bot", "text": f"Hồ sơ của ông {secret} đã có kết quả."},
    ]}
    if age_hours is not None:
        state["updatedAt"] = int(time.time() * 1000 - age_hours * HOUR_MS)
    return state


async def log_text(page) -> str:
    return await page.locator(".tl-log").inner_text()


async def test_clear_button_forgets_the_conversation(page, stack):
    confirms = watch_confirms(page)
    await open_chat(page, stack.widget_url + "/")
    await ask(page, "đăng ký khai sinh mất bao lâu")
    await page.wait_for_function("document.body.innerText.includes('Thông tin này có giúp ích')", timeout=60_000)
    before = await stored(page)
    assert any(m["from"] == "user" for m in before["messages"]) and before["sessionId"]

    clear = page.get_by_role("button", name=CLEAR, exact=True)
    assert await clear.get_attribute("aria-label") == CLEAR
    for _ in range(30):  # by keyboard: Shift+Tab back from the input to the header's button
        await page.keyboard.press("Shift+Tab")
        if await clear.evaluate("b => b === document.activeElement"):
            break
    assert await clear.evaluate("b => b === document.activeElement")
    sessions_so_far = len(confirms)
    await page.keyboard.press("Enter")  # no confirmation asked
    assert page.dialogs == []

    assert await page.locator(".tl-user").count() == 0
    assert await page.locator(".tl-msg").count() == 1  # the welcome only
    assert "khai sinh" not in await log_text(page)
    assert await page.get_by_label("Nhập câu hỏi của bạn").evaluate("i => i === document.activeElement")
    after = await stored(page)
    assert "khai sinh" not in json.dumps(after, ensure_ascii=False)
    assert not any(m["from"] == "user" for m in after.get("messages", []))
    assert after.get("sessionId") != before["sessionId"]
    new = await confirmed(confirms, sessions_so_far + 1)  # the server issued a new session
    assert new != before["sessionId"]

    await page.reload()
    await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").wait_for()
    assert await page.locator(".tl-msg").count() == 1
    assert "khai sinh" not in await log_text(page)

    # The next message is a new conversation, under the new session id, and it is answered.
    await ask(page, "làm hộ chiếu hết bao nhiêu tiền")
    await page.wait_for_function("document.body.innerText.includes('Phí, lệ phí')", timeout=60_000)
    now = await stored(page)
    assert now["sessionId"] == new
    assert [m["text"] for m in now["messages"] if m["from"] == "user"] == ["làm hộ chiếu hết bao nhiêu tiền"]


def watch_confirms(page) -> list:
    """The session ids the server confirms to the page, from the socket's frames (42["session_confirm","…"])."""
    confirms: list = []

    def frame(payload) -> None:
        if isinstance(payload, str) and payload.startswith('42["session_confirm"'):
            confirms.append(json.loads(payload[2:])[1])

    page.on("websocket", lambda ws: ws.on("framereceived", frame))
    return confirms


async def confirmed(confirms: list, count: int) -> str:
    """The `count`-th session id the server confirmed."""
    for _ in range(300):
        if len(confirms) >= count:
            return confirms[count - 1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no session_confirm number {count}: {confirms}")


async def load_with(page, stack, state: dict) -> None:
    """The demo page, with `state` put in storage while no widget is running (nothing overwrites it)."""
    await page.goto(stack.widget_url + "/health")
    await keep(page, state)
    await page.goto(stack.widget_url + "/")


async def test_expired_history_is_not_shown(page, stack):
    confirms = watch_confirms(page)
    await page.goto(stack.widget_url + "/")
    session = await confirmed(confirms, 1)  # a session the server issued

    await load_with(page, stack, old_conversation(23, "Nguyễn Văn Còn", session))  # within the default 24 hours
    assert await confirmed(confirms, 2) == session  # the conversation goes on
    await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").wait_for()
    assert "Nguyễn Văn Còn" in await log_text(page)
    assert (await stored(page))["sessionId"] == session

    for number, age in ((3, 25), (4, None)):  # older than 24 hours, or kept by a widget that stamped nothing
        await load_with(page, stack, old_conversation(age, "Trần Văn Cũ", session))
        new = await confirmed(confirms, number)
        assert new != session  # the widget asked for a new session, not the old one
        assert await page.locator(".tl-msg").count() == 1  # the welcome only
        assert "Trần Văn Cũ" not in await page.content()
        assert await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").is_hidden()
        await page.wait_for_function(f"{SESSION_OF_STORE} === {json.dumps(new)}")
        assert "Trần Văn Cũ" not in json.dumps(await stored(page), ensure_ascii=False)


SESSION_OF_STORE = ("(() => { const k = Object.keys(localStorage).find(k => k.startsWith('tro-ly-dvc:'));"
                    " return k && JSON.parse(localStorage.getItem(k)).sessionId; })()")


async def fake_widget(page, stack, attributes: str = "") -> None:
    """The widget on a page of the widget server's origin, talking to the stand-in socket."""
    await page.set_content(
        f"<html><body><script>{FAKE_IO}</script>"
        f"<script src='{stack.widget_url}/widget.js' data-server='http://127.0.0.1:9' {attributes}></script>"
        "</body></html>"
    )
    await page.wait_for_function("window.fakeSocket && window.sent.length > 0")  # asked for its session


async def test_history_hours_option(page, stack):
    await page.goto(stack.widget_url + "/health")
    await page.evaluate("localStorage.clear()")
    await fake_widget(page, stack, 'data-history-hours="1"')
    for age, kept in ((0.5, True), (2, False)):
        await keep(page, old_conversation(age, "Lê Thị Hẹn"))
        await fake_widget(page, stack, 'data-history-hours="1"')
        assert ("Lê Thị Hẹn" in await log_text(page)) is kept
        session = (await page.evaluate("window.sent"))[0]
        assert session[0] == "session_request"
        assert (session[1]["session_id"] == "phien-cu-0001") is kept
    # Not a positive number of hours: the default, 24.
    await keep(page, old_conversation(2, "Lê Thị Hẹn"))
    await fake_widget(page, stack, 'data-history-hours="không"')
    assert "Lê Thị Hẹn" in await log_text(page)


async def test_clear_starts_a_new_session_in_every_tab(page, stack):
    await page.goto(stack.widget_url + "/health")
    await page.evaluate("localStorage.clear()")
    await fake_widget(page, stack)
    await keep(page, old_conversation(1, "Phạm Văn Hai"))
    await fake_widget(page, stack)
    other = await page.context.new_page()  # a second tab of the same portal
    await other.goto(stack.widget_url + "/health")
    await fake_widget(other, stack)
    assert "Phạm Văn Hai" in await log_text(other)

    await page.get_by_role("dialog", name="Trợ lý Dịch vụ công").wait_for()  # the kept conversation was open
    await page.get_by_role("button", name=CLEAR, exact=True).click()
    assert "Phạm Văn Hai" not in await log_text(page)
    requested = [data["session_id"] for name, data in await page.evaluate("window.sent") if name == "session_request"]
    assert requested == ["phien-cu-0001", None]  # None: the server is asked for a new session
    assert (await stored(page)).get("sessionId") is None
    await page.evaluate("window.fakeSocket.fire('session_confirm', 'phien-moi-0002')")
    await page.get_by_label("Nhập câu hỏi của bạn").fill("xin chào")
    await page.keyboard.press("Enter")
    sent = await page.evaluate("window.sent")
    assert sent[-1] == ["user_uttered", {"message": "xin chào", "session_id": "phien-moi-0002"}]
    assert (await stored(page))["sessionId"] == "phien-moi-0002"

    await other.wait_for_function("!document.querySelector('.tl-log').innerText.includes('Phạm Văn Hai')")
    assert ["session_request", {"session_id": None}] in await other.evaluate("window.sent")
    await other.close()
