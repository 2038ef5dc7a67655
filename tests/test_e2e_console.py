"""The staff console in headless Chromium, then the running bot answering with what was published."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.test_e2e_widget import ARGS, CHROMIUM
from web.console.accounts import Accounts, make_engine

pytestmark = pytest.mark.slow
PASSWORD = "mat-khau-can-bo-1"
NEW_FEE = "Thử nghiệm: 12.345 đồng/trường hợp."
NEW_ALIAS = "thị thực chữ ký"


@pytest.fixture
async def page(stack):
    from playwright.async_api import async_playwright

    accounts = Accounts(make_engine(stack.extra_env["CONSOLE_DB_URL"]))
    try:
        accounts.add_user("can-bo-1", PASSWORD, "admin")  # publishes at once (editors propose: test_proposals)
    except ValueError:
        pass  # created by an earlier test of this session
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = await (await browser.new_context(locale="vi-VN")).new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        yield page
        await browser.close()


async def log_in(page, stack, password=PASSWORD):
    await page.goto(stack.widget_url + "/console/")
    assert page.url.endswith("/console/login")  # anonymous: sent to the login page
    await page.get_by_label("Tên đăng nhập").fill("can-bo-1")
    await page.get_by_label("Mật khẩu").fill(password)
    await page.get_by_role("button", name="Đăng nhập").click()


async def ask_bot(stack, text: str) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                                json={"sender": f"console-check-{text}", "message": text}) as response:
            return "\n".join(m.get("text", "") for m in await response.json())


async def test_wrong_password_is_refused(page, stack):
    await log_in(page, stack, "sai-mat-khau-roi")
    await page.get_by_role("alert").filter(has_text="không đúng").wait_for()
    assert page.url.endswith("/console/login")


async def test_fix_a_fee_add_an_alias_publish_and_the_bot_answers_without_retraining(page, stack):
    assert NEW_FEE not in await ask_bot(stack, "chứng thực chữ ký hết bao nhiêu tiền")
    await log_in(page, stack)
    await page.get_by_label("Tìm thủ tục").fill("chung thuc chu ky")
    await page.get_by_role("button", name="Tìm").click()
    await page.get_by_role("link", name="Chứng thực chữ ký").first.click()
    await page.locator("#f-channels-0-fee").fill(NEW_FEE)
    # The official record's fee wins unless the officer cites where the newer one is published.
    await page.locator("#f-channels-0-source").fill("Thông báo của Ủy ban nhân dân xã (thử nghiệm)")
    aliases = page.locator("#f-aliases")
    await aliases.fill((await aliases.input_value()) + "\n" + NEW_ALIAS)
    await page.get_by_role("button", name="Xuất bản").click()
    await page.get_by_role("status").filter(has_text="Đã xuất bản").wait_for()
    answer = ""
    for _ in range(20):  # the action server re-reads changed files within a second or two
        answer = await ask_bot(stack, f"{NEW_ALIAS} hết bao nhiêu tiền")
        if NEW_FEE in answer:
            break
        await asyncio.sleep(0.5)
    assert NEW_FEE in answer
    await page.get_by_role("link", name="Nhật ký xuất bản").click()
    assert NEW_ALIAS in await page.locator("pre.diff").first.text_content()


async def test_markup_typed_into_a_field_renders_as_text(page, stack):
    await log_in(page, stack)
    await page.goto(stack.widget_url + "/console/procedures/dang_ky_ket_hon")
    await page.locator("#f-result").fill("<img src=x onerror=alert(1)>")
    await page.get_by_role("button", name="Xem trước").click()
    await page.get_by_role("region", name="Xem trước câu trả lời").wait_for()
    assert await page.locator("main img").count() == 0
    assert "<img src=x onerror=alert(1)>" in await page.locator("#f-result").input_value()
    assert page.dialogs == []


async def test_a_question_the_bot_missed_becomes_an_alias_and_then_it_answers(page, stack):
    question = "làm pát xpo ở đâu"
    assert "Cấp hộ chiếu" not in await ask_bot(stack, question)  # not known yet: recorded as unresolved
    await log_in(page, stack)
    await page.get_by_role("link", name="Câu hỏi chưa trả lời được").click()
    group = page.locator("section.group").filter(has_text=question)
    await group.get_by_label("Tên gọi thêm vào").fill("pát xpo")
    await group.get_by_label("Thủ tục").fill("Cấp hộ chiếu phổ thông ở trong nước")
    await group.get_by_role("button", name="Thêm làm tên gọi").click()
    await page.get_by_role("status").filter(has_text="Đã thêm “pát xpo”").wait_for()
    assert await page.locator("section.group").filter(has_text=question).count() == 0
    answer = ""
    for _ in range(20):
        answer = await ask_bot(stack, f"{question} vậy ad")
        if "Cấp hộ chiếu" in answer:
            break
        await asyncio.sleep(0.5)
    assert "Cấp hộ chiếu" in answer and "Nơi nộp hồ sơ" in answer
    await page.get_by_role("link", name="Số liệu").click()
    assert await page.locator("#fallback-rate").inner_text() != "—"
