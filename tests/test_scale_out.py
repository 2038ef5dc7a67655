"""Two Rasa replicas on one conversation base: PostgreSQL tracker store, Redis lock store.

Each replica runs with its own action server (stateless) and widget/console
server; every database (tracker, console, dossiers) is on one real PostgreSQL
server and the locks are on one real Redis server, both started here on loopback.
The soak test runs here too, against both replicas.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import shutil
import signal
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import aiohttp
import pytest

from deploy.stack import Stack, free_port
from tests.chat_client import reply_text, say, tracker_events, user_texts
from tests.services import PostgresServer, RedisServer
from tools.bench import percentile

pytestmark = pytest.mark.slow

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
SOAK_USERS = int(os.environ.get("SOAK_USERS", "30"))


@pytest.fixture(scope="module")
def backing_services():
    """PostgreSQL and Redis in a folder the postgres user may enter (pytest's tmp is private to root)."""
    root = Path(tempfile.mkdtemp(prefix="tro-ly-services-"))
    os.chmod(root, 0o755)
    postgres = PostgresServer(root / "postgres")
    redis = RedisServer(root / "redis")
    try:
        (root / "postgres").mkdir()
        postgres.start()
        redis.start()
        yield postgres, redis
    finally:
        redis.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def replicas(trained_model, backing_services, tmp_path_factory):
    """Replica A and replica B, started one after the other (the first creates the tables)."""
    postgres, redis = backing_services
    env = {
        "TRACKER_STORE_URL": postgres.create_database("tracker"),
        "LOCK_STORE_URL": redis.url(1),
        "CONSOLE_DB_URL": postgres.create_database("console"),
        "DOSSIER_DB_URL": postgres.create_database("dossiers"),
        "DOSSIER_DEMO": "1",
    }
    workdir = tmp_path_factory.mktemp("replicas")
    log = (workdir / "servers.log").open("w", encoding="utf-8")
    stacks: List[Stack] = []
    try:
        for name in ("a", "b"):
            stack = Stack(trained_model, rasa_port=free_port(), actions_port=free_port(), widget_port=free_port(),
                          log=log, extra_env=env)
            stacks.append(stack)
            stack.start(workdir / name)
        yield stacks
    finally:
        for stack in stacks:
            stack.stop()
        log.close()


@pytest.fixture
async def session():
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as client:
        yield client


_ids = itertools.count(1)


def new_sender(kind: str) -> str:
    return f"{kind}-{next(_ids)}-{random.randrange(10**6)}"


async def test_context_follows_the_conversation_across_replicas(replicas, session):
    a, b = (stack.rasa_url for stack in replicas)
    sender = new_sender("alternate")
    assert "hộ chiếu" in (await reply_text(session, a, sender, "làm hộ chiếu mất bao lâu")).lower()
    text = await reply_text(session, b, sender, "còn lệ phí thì sao?")
    assert "Phí, lệ phí" in text and "hộ chiếu" in text.lower(), text
    text = await reply_text(session, a, sender, "nộp ở đâu")
    assert "Nơi nộp hồ sơ" in text and "hộ chiếu" in text.lower(), text


async def test_a_dossier_lookup_started_on_one_replica_finishes_on_the_other(replicas, session):
    a, b = (stack.rasa_url for stack in replicas)
    sender = new_sender("lookup")
    assert "4 chữ số cuối" in await reply_text(session, a, sender, "tra cứu hồ sơ 000.00.00.DEMO-261120-0001")
    shown = await reply_text(session, b, sender, "0001 1990")
    assert "Cấp Phiếu lý lịch tư pháp" in shown, shown


async def test_simultaneous_messages_of_one_conversation_are_processed_one_at_a_time(replicas, session):
    """Both replicas get a message of the same conversation at once; the Redis lock orders them."""
    a, b = (stack.rasa_url for stack in replicas)
    for _ in range(5):
        sender = new_sender("race")
        first, second = "làm hộ chiếu cần giấy tờ gì", "lệ phí làm hộ chiếu bao nhiêu"
        await asyncio.gather(say(session, a, sender, first), say(session, b, sender, second))
        events = await tracker_events(session, a, sender)
        said = [e["text"] for e in events if e["event"] == "user"]
        assert sorted(said) == sorted([first, second]), said
        # One turn after the other: the bot finished answering (action_listen) before the second message.
        kinds = [e["event"] if e["event"] != "action" else e["name"] for e in events]
        second_user = [i for i, kind in enumerate(kinds) if kind == "user"][1]
        assert "action_listen" in kinds[kinds.index("user"):second_user], kinds
        assert kinds[-1] == "action_listen", kinds


# ---------------------------------------------------------------- soak

SCRIPTS = (
    ["xin chào", "làm hộ chiếu cần giấy tờ gì", "lệ phí bao nhiêu", "nộp ở đâu", "cảm ơn"],
    ["lam cccd mat bao lau", "cấp đổi", "le phi bn", "nop online dc ko"],
    ["đăng ký khai sinh cần gì", "mất bao lâu", "có làm online được không"],
    ["tra cứu hồ sơ 000.00.00.DEMO-261110-0002", "0002 1985", "cảm ơn"],
    ["lltp o dau", "thủ tục các bước thế nào", "bye"],
    ["sổ đỏ làm ở đâu", "hỏi thủ tục đăng ký tạm trú", "giấy tờ gì"],
)


async def _citizen(session: aiohttp.ClientSession, urls: List[str], deadline: float, sent: Dict[str, List[str]],
                   errors: List[str], latencies: List[float]) -> None:
    rng = random.Random()
    while time.monotonic() < deadline:
        sender = new_sender("soak")
        sent[sender] = []
        for text in rng.choice(SCRIPTS):
            url = rng.choice(urls)
            started = time.monotonic()
            try:
                replies = await say(session, url, sender, text)
                if not replies:
                    errors.append(f"{sender}: no reply to {text!r}")
            except (AssertionError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
                errors.append(f"{sender}: {text!r}: {exc!r}"[:300])
            latencies.append(time.monotonic() - started)
            sent[sender].append(text)
            await asyncio.sleep(rng.uniform(0.2, 1.0))


def as_stored(texts: List[str]) -> List[str]:
    """What the tracker store keeps of what was said: numbers masked, a dossier lookup's proof turn hidden."""
    from bot.stores import HIDDEN_PROOF_TURN
    from records.privacy import mask_phone_and_id, mask_text

    lookup = any(text.startswith("tra cứu hồ sơ") for text in texts)
    stored, after_lookup = [], False
    for text in texts:
        stored.append(HIDDEN_PROOF_TURN if after_lookup else mask_text(text) if lookup else mask_phone_and_id(text))
        after_lookup = text.startswith("tra cứu hồ sơ")
    return stored


async def test_soak_many_conversations_lose_nothing(replicas, session, capsys):
    """SOAK_USERS citizens for SOAK_SECONDS over both replicas: no error, every message stored, in order."""
    urls = [stack.rasa_url for stack in replicas]
    sent: Dict[str, List[str]] = {}
    errors: List[str] = []
    latencies: List[float] = []
    started = time.monotonic()
    connector = aiohttp.TCPConnector(limit=SOAK_USERS * 2)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as soak_session:
        await asyncio.gather(*(
            _citizen(soak_session, urls, started + SOAK_SECONDS, sent, errors, latencies) for _ in range(SOAK_USERS)
        ))
    elapsed = time.monotonic() - started
    lost = []
    for sender, texts in sent.items():
        stored = await user_texts(session, urls[0], sender)
        if stored != as_stored(texts):
            lost.append((sender, texts, stored))
    messages = sum(len(texts) for texts in sent.values())
    p95 = percentile(latencies, 95) * 1000
    with capsys.disabled():  # the figures belong in CI's log
        print(f"\nsoak: users={SOAK_USERS} seconds={elapsed:.0f} conversations={len(sent)} messages={messages} "
              f"errors={len(errors)} lost={len(lost)} p95_ms={p95:.0f} msg_per_s={messages / elapsed:.1f}")
    assert not errors, errors[:5]
    assert not lost, lost[:3]
    assert messages > SOAK_USERS * SOAK_SECONDS / 2  # the citizens really talked the whole time


# ---------------------------------------------------------------- losing a replica (last: it kills one)

async def test_the_other_replica_carries_on_when_one_is_killed(replicas, session):
    a, b = replicas
    sender = new_sender("killed")
    assert "khai sinh" in (await reply_text(session, a.rasa_url, sender, "đăng ký khai sinh cần giấy tờ gì")).lower()
    a.send_signal("rasa", signal.SIGKILL).wait(timeout=30)
    with pytest.raises(aiohttp.ClientConnectionError):
        await say(session, a.rasa_url, sender, "lệ phí bao nhiêu")
    text = await reply_text(session, b.rasa_url, sender, "lệ phí bao nhiêu")
    assert "Phí, lệ phí" in text and "khai sinh" in text.lower(), text
    assert await user_texts(session, b.rasa_url, sender) == ["đăng ký khai sinh cần giấy tờ gì", "lệ phí bao nhiêu"]
