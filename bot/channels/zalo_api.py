"""Sending replies through the Zalo OA API, with time-outs, bounded retries and token refresh.

Nothing here raises to the caller: a reply that cannot be delivered is logged
(with the user id masked) and dropped, so one bad send never takes the
channel down.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Dict

import aiohttp
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bot.channels.zalo_tokens import TokenPair, TokenStore

logger = logging.getLogger(__name__)

EXPIRED_ACCESS_TOKEN = -216


def mask_id(value: str) -> str:
    """Zalo user ids identify a person; logs keep only the last 4 characters."""
    return f"***{value[-4:]}" if len(value) > 4 else "***"


class _Transient(Exception):
    """Worth another try: a time-out, a dropped connection, a 5xx."""


@dataclass(frozen=True)
class ZaloSettings:
    app_id: str
    app_secret: str
    api_url: str = "https://openapi.zalo.me"
    oauth_url: str = "https://oauth.zaloapp.com"
    timeout_s: float = 5.0
    attempts: int = 3
    backoff_s: float = 0.3


class ZaloApi:
    def __init__(self, settings: ZaloSettings, tokens: TokenStore):
        self.settings = settings
        self.tokens = tokens
        self._session: aiohttp.ClientSession | None = None
        self._refresh_lock = asyncio.Lock()

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.settings.timeout_s))
        return self._session

    async def _post(self, url: str, **kwargs: Any) -> Dict[str, Any]:
        """One POST with retries for transient failures; the decoded JSON object."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=wait_exponential(multiplier=self.settings.backoff_s, max=2.0),
            retry=retry_if_exception_type(_Transient),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                try:
                    async with self._client().post(url, **kwargs) as response:
                        if response.status >= 500 or response.status == 429:
                            raise _Transient(f"HTTP {response.status}")
                        body = await response.json(content_type=None)
                except (asyncio.TimeoutError, aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
                    raise _Transient(type(exc).__name__) from exc
                if not isinstance(body, dict):
                    raise ValueError("not a JSON object")
                return body
        raise AssertionError("unreachable: the loop returns or raises")

    async def send_text(self, user_id: str, text: str) -> bool:
        """Post one text message; refresh the access token once if Zalo says it expired."""
        url = f"{self.settings.api_url.rstrip('/')}/v3.0/oa/message/cs"
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        for attempt in range(2):
            pair = self.tokens.load()
            try:
                answer = await self._post(url, json=body, headers={"access_token": pair.access_token})
            except (_Transient, ValueError, aiohttp.ClientError) as exc:
                logger.error("zalo send to %s failed: %s", mask_id(user_id), exc)
                return False
            error = answer.get("error", 0)
            if error == 0:
                return True
            if error == EXPIRED_ACCESS_TOKEN and attempt == 0 and await self.refresh(pair):
                continue
            logger.warning("zalo send to %s refused: error %s %s", mask_id(user_id), error, answer.get("message", ""))
            return False
        return False

    async def refresh(self, used: TokenPair) -> bool:
        """Exchange the refresh token for a new pair, once even if many sends saw the expiry together."""
        async with self._refresh_lock:
            if self.tokens.load() != used:
                return True  # another send refreshed while we waited
            url = f"{self.settings.oauth_url.rstrip('/')}/v4/oa/access_token"
            form = {"app_id": self.settings.app_id, "grant_type": "refresh_token", "refresh_token": used.refresh_token}
            try:
                answer = await self._post(url, data=form, headers={"secret_key": self.settings.app_secret})
            except (_Transient, ValueError, aiohttp.ClientError) as exc:
                logger.error("zalo token refresh failed: %s", exc)
                return False
            access, refresh = answer.get("access_token"), answer.get("refresh_token")
            if not (isinstance(access, str) and isinstance(refresh, str) and access and refresh):
                logger.error("zalo token refresh refused: error %s %s", answer.get("error"), answer.get("message", ""))
                return False
            self.tokens.save(TokenPair(access, refresh))
            logger.info("zalo access token refreshed")
            return True

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
