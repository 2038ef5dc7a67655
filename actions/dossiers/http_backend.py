"""Dossier statuses from a one-stop system's REST API.

``GET {DOSSIER_API_URL}/dossiers/{code}`` with ``Authorization: Bearer
{DOSSIER_API_TOKEN}``. 200 is mapped by :mod:`actions.dossiers.mapping`; 404
means no such dossier. Time-outs, connection errors and 5xx are retried a
bounded number of times with exponential back-off (tenacity); after that, or
on any other status or an unreadable body, :class:`BackendUnavailable`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from urllib.parse import quote

import aiohttp
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from actions.dossiers.backend import BackendUnavailable
from actions.dossiers.mapping import Mapping_, load_mapping
from actions.dossiers.model import Dossier
from knowledge.dossier_codes import mask_code

logger = logging.getLogger(__name__)


class _Transient(Exception):
    """A failure worth another try."""


@dataclass(frozen=True)
class HttpSettings:
    base_url: str
    token: str = ""
    timeout_s: float = 3.0
    attempts: int = 3
    backoff_s: float = 0.3

    @classmethod
    def from_env(cls) -> HttpSettings:
        url = os.environ.get("DOSSIER_API_URL", "").strip()
        if not url:
            raise ValueError("DOSSIER_BACKEND=http needs DOSSIER_API_URL")
        return cls(
            base_url=url.rstrip("/"),
            token=os.environ.get("DOSSIER_API_TOKEN", ""),
            timeout_s=float(os.environ.get("DOSSIER_API_TIMEOUT", "3")),
            attempts=max(1, int(os.environ.get("DOSSIER_API_ATTEMPTS", "3"))),
        )


class HttpDossierBackend:
    """An aiohttp client with a time-out per attempt and bounded retries."""

    def __init__(self, settings: HttpSettings, mapping: Mapping_ | None = None):
        self.settings = settings
        self.mapping = mapping or load_mapping(None)
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_env(cls) -> HttpDossierBackend:
        return cls(HttpSettings.from_env(), load_mapping(os.environ.get("DOSSIER_API_MAPPING")))

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            headers = {"Accept": "application/json"}
            if self.settings.token:
                headers["Authorization"] = f"Bearer {self.settings.token}"
            self._session = aiohttp.ClientSession(
                headers=headers, timeout=aiohttp.ClientTimeout(total=self.settings.timeout_s)
            )
        return self._session

    async def _once(self, code: str) -> Dossier | None:
        url = f"{self.settings.base_url}/dossiers/{quote(code, safe='')}"
        try:
            async with self._client().get(url) as response:
                if response.status == 404:
                    return None
                if response.status >= 500 or response.status == 429:
                    raise _Transient(f"HTTP {response.status}")
                if response.status != 200:
                    raise BackendUnavailable(f"HTTP {response.status}")
                raw = await response.read()
        except (asyncio.TimeoutError, aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            raise _Transient(type(exc).__name__) from exc
        try:
            return self.mapping(json.loads(raw.decode("utf-8")))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise BackendUnavailable(f"unreadable answer: {type(exc).__name__}") from exc

    async def fetch(self, code: str) -> Dossier | None:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=wait_exponential(multiplier=self.settings.backoff_s, max=2.0),
            retry=retry_if_exception_type(_Transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(code)
        except _Transient as exc:
            logger.warning("dossier API failed for %s after %d tries: %s", mask_code(code), self.settings.attempts, exc)
            raise BackendUnavailable(str(exc)) from exc
        except BackendUnavailable as exc:
            logger.warning("dossier API refused %s: %s", mask_code(code), exc)
            raise
        return None  # unreachable: the loop returns or raises

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
