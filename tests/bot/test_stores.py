"""Conversations stored on disk keep working and keep no phone or ID numbers; Redis from one URL."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from bot.stores import MaskingSQLTrackerStore, RedisURLLockStore, mask_event_data

DOMAIN = Domain.from_yaml("slots:\n  dossier_code:\n    type: text\n    mappings:\n    - type: custom\n")


def test_mask_event_data_masks_what_was_said_only():
    data = {
        "event": "user", "timestamp": 1763876543.123456, "text": "sđt của tôi 0912 345 678, cccd 079201001234",
        "parse_data": {"text": "sđt của tôi 0912 345 678, cccd 079201001234",
                       "entities": [{"entity": "phone", "value": "0912345678"}], "intent": {"name": "inform"}},
        "message_id": "abc",
    }
    masked = mask_event_data(data)
    assert "0912 345 678" not in masked["text"] and "079201001234" not in masked["text"]
    assert "079201001234" not in masked["parse_data"]["text"]
    assert masked["parse_data"]["entities"][0]["value"] == "**********"
    assert masked["timestamp"] == data["timestamp"] and masked["parse_data"]["intent"] == {"name": "inform"}
    assert "0912 345 678" in data["text"], "the event in memory is left alone"


def test_mask_event_data_keeps_dossier_codes_and_other_events():
    said = {"event": "user", "text": "tra hồ sơ 000.00.07.H29-251120-0042"}
    assert mask_event_data(said)["text"] == said["text"]
    slot = {"event": "slot", "name": "dossier_code", "value": "000.00.07.H29-251120-0042"}
    assert mask_event_data(slot) is slot


def _store(path: Path) -> MaskingSQLTrackerStore:
    return MaskingSQLTrackerStore(domain=DOMAIN, host=f"sqlite:///{path}")


def test_sqlite_store_continues_a_conversation_after_reopening(tmp_path: Path):
    path = tmp_path / "var" / "tracker.sqlite3"  # the folder does not exist yet
    store = _store(path)

    async def first_process():
        tracker = await store.get_or_create_tracker("citizen-1")
        tracker.update(UserUttered("gọi tôi số 0987654321 nhé", {"name": "inform"}))
        tracker.update(SlotSet("dossier_code", "000.00.07.H29-251120-0042"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        tracker.update(BotUttered("Dạ vâng."))
        await store.save(tracker)  # only the new event is added

    asyncio.run(first_process())
    reopened = _store(path)  # a new Rasa process on the same file
    tracker = asyncio.run(reopened.retrieve("citizen-1"))
    assert tracker.get_slot("dossier_code") == "000.00.07.H29-251120-0042"
    texts = [e.text for e in tracker.events if isinstance(e, (UserUttered, BotUttered))]
    assert texts == ["gọi tôi số ********** nhé", "Dạ vâng."]
    with sqlite3.connect(path) as db:
        dump = "\n".join(row[0] for row in db.execute("select data from events"))
    assert "0987654321" not in dump


def test_a_sqlite_store_keeps_its_connections_in_wal_mode(tmp_path: Path):
    from sqlalchemy import text
    from sqlalchemy.pool import QueuePool

    store = _store(tmp_path / "tracker.sqlite3")
    assert isinstance(store.engine.pool, QueuePool)
    with store.session_scope() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"

    async def two_turns():
        tracker = await store.get_or_create_tracker("citizen-2")
        tracker.update(UserUttered("xin chào", {"name": "greet"}))
        await store.save(tracker)
        tracker.update(BotUttered("Chào bạn."))
        await store.save(tracker)
        return await store.retrieve("citizen-2")

    assert [e.as_dict()["event"] for e in asyncio.run(two_turns()).events][-2:] == ["user", "bot"]


def test_events_are_not_duplicated_on_repeated_saves(tmp_path: Path):
    store = _store(tmp_path / "t.sqlite3")

    async def run():
        tracker = await store.get_or_create_tracker("c")
        tracker.update(UserUttered("xin chào", {"name": "greet"}))
        await store.save(tracker)
        await store.save(tracker)
        return len(tracker.events)

    count = asyncio.run(run())
    with sqlite3.connect(tmp_path / "t.sqlite3") as db:
        assert db.execute("select count(*) from events where sender_id='c'").fetchone()[0] == count


# ---------------------------------------------------------------- Redis lock store, real redis-server

@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    from tests.services import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server.url(3)
    server.stop()


def _replica_lock_store(url: str) -> RedisURLLockStore:
    from rasa.utils.endpoints import EndpointConfig

    return RedisURLLockStore(EndpointConfig(url=url))


def test_tickets_are_unique_when_replicas_ask_at_the_same_moment(redis_url):
    """Eight 'replicas' (own connections) take tickets for one conversation at once: no number twice."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    stores = [_replica_lock_store(redis_url) for _ in range(8)]
    start = Barrier(len(stores))

    def take(store) -> list:
        start.wait()
        return [store.issue_ticket("race-1") for _ in range(25)]

    with ThreadPoolExecutor(len(stores)) as pool:
        tickets = [t for batch in pool.map(take, stores) for t in batch]
    assert len(tickets) == len(set(tickets)) == 200
    assert stores[0].get_lock("race-1").last_issued == 199


def test_lock_serves_in_order_and_disappears_when_done(redis_url):
    a, b = _replica_lock_store(redis_url), _replica_lock_store(redis_url)
    first, second = a.issue_ticket("conv"), b.issue_ticket("conv")
    assert not a.get_lock("conv").is_locked(first) and b.get_lock("conv").is_locked(second)
    a.cleanup("conv", first)
    assert not b.get_lock("conv").is_locked(second)
    b.cleanup("conv", second)
    assert a.get_lock("conv") is None


async def test_lock_context_works_across_replicas(redis_url):
    a, b = _replica_lock_store(redis_url), _replica_lock_store(redis_url)
    order = []

    async def turn(store, name):
        async with store.lock("conv-2", wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    await asyncio.gather(turn(a, "a"), turn(b, "b"))
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    assert a.get_lock("conv-2") is None


def test_rasa_url_settings_reach_redis(redis_url):
    store = _replica_lock_store(redis_url)
    assert store.red.ping() and store.red.connection_pool.connection_kwargs["db"] == 3


def test_the_proof_and_the_full_code_leave_no_trace_once_the_lookup_ends(tmp_path: Path):
    """The finding: stored conversations kept the dossier code and the proof in clear."""
    path = tmp_path / "tracker.sqlite3"
    store = _store(path)
    code = "000.00.07.H29-251120-0042"

    async def lookup():
        tracker = await store.get_or_create_tracker("web:abc")
        tracker.update(UserUttered(f"tra cứu hồ sơ {code}", {"name": "lookup_dossier"}))
        tracker.update(SlotSet("dossier_code", code))
        tracker.update(BotUttered("Bạn nhập 4 chữ số cuối và năm sinh"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        # The next turn must still read the code back from the store.
        assert (await _store(path).retrieve("web:abc")).get_slot("dossier_code") == code
        tracker.update(UserUttered("5678 1990", {"name": "nlu_fallback"}))
        tracker.update(SlotSet("dossier_proof", "5678:1990"))
        tracker.update(ActionExecuted("action_lookup_dossier"))
        tracker.update(BotUttered(f"Hồ sơ {code}: Đang xử lý"))
        tracker.update(SlotSet("dossier_code", None))
        tracker.update(SlotSet("dossier_proof", None))
        await store.save(tracker)

    asyncio.run(lookup())
    with sqlite3.connect(path) as db:
        dump = "\n".join(row[0] for row in db.execute("select data from events"))
    for secret in (code, "5678", "1990"):
        assert secret not in dump, secret
    assert "000.00.07.H29-251120-****" in dump
    texts = [e.text for e in asyncio.run(_store(path).retrieve("web:abc")).events if isinstance(e, UserUttered)]
    assert texts == ["tra cứu hồ sơ 000.00.07.H29-251120-****", "[thông tin xác minh đã ẩn]"]
