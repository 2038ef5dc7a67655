"""The endpoints file follows the environment, and Rasa reads it as intended."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.utils import AvailableEndpoints

from bot.endpoints import DEFAULT_TRACKER_URL, EndpointError, redis_settings, render, write


def test_embedded_default_is_sqlite_on_disk_and_no_lock_store():
    text = render({})
    assert DEFAULT_TRACKER_URL in text and DEFAULT_TRACKER_URL.endswith("var/tracker.sqlite3")
    assert "lock_store" not in text
    assert '"http://127.0.0.1:5055/webhook"' in text


def test_rasa_reads_the_embedded_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("TRACKER_STORE_URL", "LOCK_STORE_URL", "ACTION_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    endpoints = AvailableEndpoints.read_endpoints(str(write(tmp_path / "endpoints.yml", {"ACTIONS_PORT": "5056"})))
    assert endpoints.tracker_store.url == DEFAULT_TRACKER_URL and endpoints.lock_store is None
    assert endpoints.action.url == "http://127.0.0.1:5056/webhook"


def test_urls_from_the_environment_stay_references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    env = {
        "TRACKER_STORE_URL": "postgresql://rasa:top-secret@db:5432/rasa",
        "LOCK_STORE_URL": "redis://:also-secret@cache:6379/1",
        "ACTION_SERVER_URL": "http://actions:5055/webhook",
    }
    path = write(tmp_path / "endpoints.yml", env)
    text = path.read_text(encoding="utf-8")
    assert "secret" not in text, "passwords stay in the environment"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    assert endpoints.tracker_store.type == "bot.stores.MaskingSQLTrackerStore"
    assert endpoints.tracker_store.url == env["TRACKER_STORE_URL"]
    assert endpoints.lock_store.type == "bot.stores.RedisURLLockStore"
    assert endpoints.lock_store.url == env["LOCK_STORE_URL"]
    assert endpoints.action.url == env["ACTION_SERVER_URL"]


@pytest.mark.parametrize(
    "env",
    [{"TRACKER_STORE_URL": "mysql://db/rasa"}, {"TRACKER_STORE_URL": "rasa.db"}, {"LOCK_STORE_URL": "cache:6379"}],
)
def test_unusable_urls_are_refused_with_the_variable_named(env):
    with pytest.raises(EndpointError, match="_STORE_URL"):
        render(env)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6390/2", {"host": "127.0.0.1", "port": 6390, "db": 2, "password": None, "use_ssl": False}),
        ("redis://:s%40cret@redis.internal", {"host": "redis.internal", "port": 6379, "db": 0, "password": "s@cret"}),
        ("rediss://user:pw@cache:6380/1", {"username": "user", "password": "pw", "use_ssl": True, "port": 6380}),
    ],
)
def test_redis_settings_from_url(url, expected):
    settings = redis_settings(url)
    assert {key: settings[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["", "localhost:6379", "http://redis:6379", "redis://"])
def test_redis_settings_refuse_what_is_not_a_redis_url(url):
    with pytest.raises(ValueError, match="LOCK_STORE_URL"):
        redis_settings(url)
