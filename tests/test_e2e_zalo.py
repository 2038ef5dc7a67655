"""Zalo end to end: signed webhook events into the running Rasa server, answers out to the fake OA API."""

from __future__ import annotations

import asyncio
import itertools
import time

import aiohttp
import pytest

from tests.bot.channels.test_zalo import signed

pytestmark = pytest.mark.slow
_ids = itertools.count()


async def post(stack, header, body) -> tuple[int, float]:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["X-ZEvent-Signature"] = header
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{stack.rasa_url}/webhooks/zalo/webhook", data=body, headers=headers) as response:
            return response.status, time.monotonic() - started


async def replies(zalo_fake, user: str, count: int, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        texts = zalo_fake.fake.texts_to(user)
        if len(texts) >= count:
            return texts
        await asyncio.sleep(0.2)
    return zalo_fake.fake.texts_to(user)


async def test_a_signed_question_is_answered_through_the_oa_api(stack, zalo_fake):
    user = f"zalo-user-{next(_ids)}"
    status, seconds = await post(stack, *signed(text="làm hộ chiếu hết bao nhiêu tiền", user=user, msg_id=user))
    assert status == 200 and seconds < 2
    texts = await replies(zalo_fake, user, 1)
    assert any("Phí, lệ phí" in t for t in texts), texts


async def test_bad_signature_is_refused_and_nothing_is_sent(stack, zalo_fake):
    user = f"zalo-user-{next(_ids)}"
    header, body = signed(text="xin chào", user=user, msg_id=user)
    assert (await post(stack, "mac=" + "0" * 64, body))[0] == 401
    assert (await post(stack, None, body))[0] == 401
    await asyncio.sleep(1)
    assert zalo_fake.fake.texts_to(user) == []


async def test_numbered_options_on_zalo(stack, zalo_fake):
    user = f"zalo-user-{next(_ids)}"
    await post(stack, *signed(text="căn cước", user=user, msg_id=f"{user}-1"))
    first = await replies(zalo_fake, user, 1)
    assert "1. " in first[0] and "Trả lời bằng số" in first[0], first
    await post(stack, *signed(text="1", user=user, msg_id=f"{user}-2"))
    texts = await replies(zalo_fake, user, 2)
    assert any("căn cước" in t.lower() for t in texts[1:]), texts
