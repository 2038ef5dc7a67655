"""Who sent a message, as the channel saw it: the one fact about a client that rate limits may trust.

Channels write it into the message metadata under :data:`CLIENT_KEY`,
overwriting anything a client put there: ``ip:<address>`` for the widget and
REST (the proxy's ``X-Forwarded-For`` is believed only when
``TRUST_X_FORWARDED_FOR=1`` says a proxy of ours sits in front), and
``zalo:<user id>`` for Zalo, whose events Zalo signs. The action server reads
it back with :func:`client_of`.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any, Mapping

CLIENT_KEY = "tro_ly_client"


def trust_forwarded_for() -> bool:
    return os.environ.get("TRUST_X_FORWARDED_FOR", "0").strip() == "1"


def client_address(remote: str | None, forwarded_for: str | None, trust_proxy: bool | None = None) -> str:
    """``ip:<address>``: the last X-Forwarded-For hop (added by our proxy) when trusted, else the peer."""
    trusted = trust_forwarded_for() if trust_proxy is None else trust_proxy
    candidate = remote or ""
    if trusted and forwarded_for:
        candidate = forwarded_for.split(",")[-1].strip()
    try:
        return f"ip:{ipaddress.ip_address(candidate)}"
    except ValueError:
        return "ip:unknown"


def client_of(metadata: Mapping[str, Any] | None) -> str:
    """The client a channel recorded for a message, or '' when none did."""
    value = (metadata or {}).get(CLIENT_KEY)
    return value if isinstance(value, str) and len(value) <= 200 else ""
