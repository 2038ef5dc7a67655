"""A citizen talking to one or more running Rasa servers over REST, for the production tests."""

from __future__ import annotations

import os
from typing import Dict, List

import aiohttp


async def say(session: aiohttp.ClientSession, rasa_url: str, sender: str, text: str) -> List[Dict]:
    """Send one message and return the bot's replies; any status but 200 fails the test."""
    async with session.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as response:
        assert response.status == 200, f"{response.status}: {await response.text()}"
        return await response.json()


async def reply_text(session: aiohttp.ClientSession, rasa_url: str, sender: str, text: str) -> str:
    replies = await say(session, rasa_url, sender, text)
    assert replies, f"no reply to {text!r}"
    return "\n".join(r.get("text", "") for r in replies)


def api_token() -> str:
    """The token of Rasa's HTTP API of every stack the tests start (tests/conftest.py)."""
    return os.environ["RASA_AUTH_TOKEN"]


def rest_conversation(sender: str) -> str:
    """The tracker id of a REST sender: conversation ids name their channel (bot/channels)."""
    return f"rest:{sender}"


async def tracker_events(session: aiohttp.ClientSession, rasa_url: str, sender: str) -> List[Dict]:
    params = {"include_events": "ALL", "token": api_token()}
    async with session.get(f"{rasa_url}/conversations/{rest_conversation(sender)}/tracker", params=params) as response:
        assert response.status == 200, await response.text()
        return (await response.json())["events"]


async def user_texts(session: aiohttp.ClientSession, rasa_url: str, sender: str) -> List[str]:
    """What the citizen said, in the order the tracker stored it."""
    return [e.get("text") for e in await tracker_events(session, rasa_url, sender) if e.get("event") == "user"]
