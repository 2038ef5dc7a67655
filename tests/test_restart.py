"""The embedded stack (SQLite tracker store on disk) keeps conversations through a restart."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import aiohttp
import pytest

from deploy.stack import Stack, free_port
from tests.chat_client import reply_text, say, user_texts

pytestmark = pytest.mark.slow


def embedded_stack(model: Path, data: Path, log) -> Stack:
    """A stack on new ports whose databases live in ``data`` (what `make run` keeps in var/)."""
    env = {
        "TRACKER_STORE_URL": f"sqlite:///{data / 'tracker.sqlite3'}",
        "CONSOLE_DB_URL": f"sqlite:///{data / 'console.sqlite3'}",
        "DOSSIER_DB_URL": f"sqlite:///{data / 'dossiers.sqlite3'}",
        "DOSSIER_DEMO": "1",
    }
    return Stack(model, rasa_port=free_port(), actions_port=free_port(), widget_port=free_port(), log=log,
                 extra_env=env)


async def test_restart_mid_conversation_continues_where_it_was(trained_model, tmp_path: Path):
    data = tmp_path / "var"
    sender = "citizen-restart"
    with (tmp_path / "servers.log").open("w", encoding="utf-8") as log:
        first = embedded_stack(trained_model, data, log)
        try:
            first.start(tmp_path / "run1")
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
                answer = await reply_text(session, first.rasa_url, sender, "làm hộ chiếu mất bao lâu")
                assert "hộ chiếu" in answer.lower()
                # Stop the stack while a message is being answered: the answer still arrives.
                in_flight = asyncio.ensure_future(say(session, first.rasa_url, sender, "còn lệ phí thì sao?"))
                await asyncio.sleep(0.02)
                rasa = first.send_signal("rasa", signal.SIGTERM)
                replies = await in_flight
                assert await asyncio.get_running_loop().run_in_executor(None, rasa.wait, 30) is not None
                text = "\n".join(r.get("text", "") for r in replies)
                assert "Phí, lệ phí" in text and "hộ chiếu" in text.lower(), text
        finally:
            first.stop()

        second = embedded_stack(trained_model, data, log)
        try:
            second.start(tmp_path / "run2")
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
                text = await reply_text(session, second.rasa_url, sender, "nộp ở đâu")
                assert "Nơi nộp hồ sơ" in text and "hộ chiếu" in text.lower(), text
                assert await user_texts(session, second.rasa_url, sender) == [
                    "làm hộ chiếu mất bao lâu", "còn lệ phí thì sao?", "nộp ở đâu"]
        finally:
            second.stop()
