"""Zalo OA webhook signatures.

Zalo signs each event with ``X-ZEvent-Signature: mac=<hex>``, where hex is
SHA-256 of ``app_id + raw body + timestamp + OA secret key`` (app_id and
timestamp as they appear in the payload). An event older than
``max_age_s`` is refused too, so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping


def signature(app_id: str, raw_body: bytes, timestamp: str, secret_key: str) -> str:
    """The header value Zalo sends for this body."""
    digest = hashlib.sha256(app_id.encode() + raw_body + timestamp.encode() + secret_key.encode()).hexdigest()
    return f"mac={digest}"


@dataclass(frozen=True)
class SignatureVerifier:
    app_id: str
    secret_key: str
    max_age_s: float = 15 * 60
    clock: Callable[[], float] = time.time

    def verify(self, header: str | None, raw_body: bytes, payload: Mapping[str, Any]) -> bool:
        """True only for a fresh event from our app, signed with our OA secret key."""
        if not (self.app_id and self.secret_key and header):
            return False
        app_id, timestamp = str(payload.get("app_id", "")), str(payload.get("timestamp", ""))
        if not hmac.compare_digest(app_id.encode(), self.app_id.encode()):
            return False
        expected = signature(app_id, raw_body, timestamp, self.secret_key)
        if not hmac.compare_digest(header.strip().encode(), expected.encode()):
            return False
        try:
            sent_at = int(timestamp) / 1000  # Zalo timestamps are milliseconds
        except ValueError:
            return False
        return abs(self.clock() - sent_at) <= self.max_age_s
