"""Who sent a message, as the channel saw it: the one fact about a client that rate limits may trust.

Channels write it into the message metadata under :data:`CLIENT_KEY`,
overwriting anything a client put there: ``ip:<address>`` for the widget and
REST, and
``zalo:<user id>`` for Zalo, whose events Zalo signs. The action server reads
it back with :func:`client_of`. The console throttles log-ins by the same
address.

Behind ``TRUSTED_PROXY_HOPS=N`` reverse proxies of ours (nginx, an ingress),
the address is the N-th ``X-Forwarded-For`` entry from the right: the one the
outermost of our proxies added. Entries further left are the client's to
forge, so they are never believed; without the setting the header is ignored.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any, Mapping

CLIENT_KEY = "tro_ly_client"


def proxy_hops() -> int:
    """How many reverse proxies of ours stand in front (``TRUSTED_PROXY_HOPS``, default 0)."""
    try:
        return max(0, int(os.environ.get("TRUSTED_PROXY_HOPS") or 0))
    except ValueError:
        return 0  # a bad setting trusts no header: every client counts as the proxy, never as it claims


def forwarded_address(remote: str | None, forwarded_for: str | None, hops: int | None = None) -> str:
    """The client's address: the peer, or the entry our outermost proxy added to X-Forwarded-For."""
    hops = proxy_hops() if hops is None else hops
    entries = [part.strip() for part in (forwarded_for or "").split(",") if part.strip()]
    if hops and entries:
        return entries[-min(hops, len(entries))]
    return remote or ""


def client_address(remote: str | None, forwarded_for: str | None, hops: int | None = None) -> str:
    """``ip:<address>`` of a chat client (see :func:`forwarded_address`); ``ip:unknown`` if unreadable."""
    try:
        return f"ip:{ipaddress.ip_address(forwarded_address(remote, forwarded_for, hops))}"
    except ValueError:
        return "ip:unknown"


def client_of(metadata: Mapping[str, Any] | None) -> str:
    """The client a channel recorded for a message, or '' when none did."""
    value = (metadata or {}).get(CLIENT_KEY)
    return value if isinstance(value, str) and len(value) <= 200 else ""
