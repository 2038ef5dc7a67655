"""Replies through the OA API, against the local fake of the OA API and OAuth endpoint."""

import asyncio
import logging

import pytest

from bot.channels.zalo_api import ZaloApi, ZaloSettings, mask_id
from bot.channels.zalo_tokens import TokenPair, TokenStore
from tests.zalo_fake import APP_ID, APP_SECRET, FakeZalo


@pytest.fixture
async def zalo(aiohttp_server, tmp_path):
    fake = FakeZalo()
    server = await aiohttp_server(fake.app())
    url = str(server.make_url("")).rstrip("/")
    store = TokenStore(tmp_path / "tokens.json", TokenPair("access-1", "refresh-1"))
    api = ZaloApi(ZaloSettings(APP_ID, APP_SECRET, api_url=url, oauth_url=url, timeout_s=1, backoff_s=0.01), store)
    yield fake, api, store
    await api.close()


async def test_text_is_posted_with_the_access_token(zalo):
    fake, api, _ = zalo
    assert await api.send_text("user-1", "Xin chào")
    assert fake.sent == [{"recipient": {"user_id": "user-1"}, "message": {"text": "Xin chào"}}]


async def test_expired_token_is_refreshed_once_kept_and_the_message_resent(zalo, tmp_path):
    fake, api, store = zalo
    fake.expire_access_token()
    assert await api.send_text("user-1", "lần 1")
    assert fake.refreshes == 1 and fake.texts_to("user-1") == ["lần 1"]
    assert store.load() == TokenPair("access-2", "refresh-2")
    # the new pair survives a restart: a new store with the old seed reads the file
    assert TokenStore(tmp_path / "tokens.json", TokenPair("access-1", "refresh-1")).load().refresh_token == "refresh-2"
    assert await api.send_text("user-1", "lần 2") and fake.refreshes == 1


async def test_many_sends_seeing_the_expiry_refresh_only_once(zalo):
    fake, api, _ = zalo
    fake.expire_access_token()
    results = await asyncio.gather(*(api.send_text(f"user-{i}", "chào") for i in range(5)))
    assert all(results) and fake.refreshes == 1 and len(fake.sent) == 5


async def test_refresh_refused_drops_the_message_without_raising(zalo):
    fake, api, _ = zalo
    fake.expire_access_token()
    fake.valid_refresh = "someone-else-used-it"
    assert not await api.send_text("user-1", "chào")
    assert fake.sent == []


async def test_other_errors_are_logged_masked_and_dropped(zalo, caplog):
    fake, api, _ = zalo
    fake.user_errors["8471923847561234"] = -230
    with caplog.at_level(logging.WARNING):
        assert not await api.send_text("8471923847561234", "chào")
    assert "-230" in caplog.text and "8471923847561234" not in caplog.text and "***1234" in caplog.text


async def test_api_down_is_retried_then_dropped_without_raising(zalo):
    fake, api, _ = zalo
    fake.down = True
    assert not await api.send_text("user-1", "chào")
    fake.down = False
    assert await api.send_text("user-1", "chào")


def test_mask_id():
    assert mask_id("8471923847561234") == "***1234" and mask_id("12") == "***"


def test_token_file_is_private_and_corrupt_files_fall_back_to_the_seed(tmp_path):
    store = TokenStore(tmp_path / "t.json", TokenPair("a", "r"))
    store.save(TokenPair("a2", "r2"))
    assert (tmp_path / "t.json").stat().st_mode & 0o777 == 0o600
    (tmp_path / "t.json").write_text("{broken", encoding="utf-8")
    assert store.load() == TokenPair("a", "r")
