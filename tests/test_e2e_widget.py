"""The web widget in headless Chromium (Debian's), against the running stack."""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
MARKUP = "<img src=x onerror=alert(1)>"
BOT_REPLY = '[data-from="bot"]'


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        await chromium.close()


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
    fake_io = """
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
    await page.goto(stack.widget_url + "/health")  # same origin as the widget, but not the demo page
    await page.evaluate("localStorage.clear()")
    await page.set_content(
        f"<html><body><script>{fake_io}</script>"
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
