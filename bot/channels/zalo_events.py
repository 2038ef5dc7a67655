"""What a Zalo webhook event means for the bot, plus the small memories the channel needs.

- :func:`classify` sorts events: text for Rasa, other user content (answered
  politely), and everything else (OA echoes, seen/received receipts) ignored.
- :class:`ExpiringSet` drops re-delivered events by ``msg_id`` with bounded
  memory.
- :class:`NumberedOptions` turns buttons into numbered lines and a reply of
  just the number back into the button's payload.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Sequence

logger = logging.getLogger(__name__)

TEXT = "text"
OTHER_CONTENT = "other"
IGNORED = "ignored"

_USER_CONTENT = {
    "user_send_sticker", "user_send_image", "user_send_file", "user_send_audio", "user_send_video",
    "user_send_location", "user_send_link", "user_send_gif", "user_send_business_card",
}
ONLY_TEXT_REPLY = (
    "Xin lỗi, hiện mình chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi giúp mình nhé, ví dụ: "
    "\"làm căn cước cần giấy tờ gì\" hoặc \"tra cứu hồ sơ\"."
)
MAX_ZALO_TEXT = 2000


@dataclass(frozen=True)
class ZaloEvent:
    kind: str
    user_id: str = ""
    text: str = ""
    msg_id: str = ""


def classify(payload: Mapping[str, Any]) -> ZaloEvent:
    """Read the fields the bot uses; anything missing or odd makes the event ignored."""
    name = str(payload.get("event_name", ""))
    sender = payload.get("sender") if isinstance(payload.get("sender"), Mapping) else {}
    message = payload.get("message") if isinstance(payload.get("message"), Mapping) else {}
    user_id = str(sender.get("id", "") or "")
    msg_id = str(message.get("msg_id", "") or "")
    if not user_id or name.startswith("oa_"):
        return ZaloEvent(IGNORED)
    if name == "user_send_text":
        text = message.get("text")
        return ZaloEvent(TEXT, user_id, text if isinstance(text, str) else "", msg_id)
    if name in _USER_CONTENT:
        return ZaloEvent(OTHER_CONTENT, user_id, "", msg_id)
    return ZaloEvent(IGNORED)


class ExpiringSet:
    """Remembers keys for ``ttl_s`` seconds, at most ``max_items`` of them (oldest forgotten first)."""

    def __init__(self, max_items: int = 10_000, ttl_s: float = 3600, clock: Callable[[], float] = time.monotonic):
        self.max_items, self.ttl_s, self.clock = max_items, ttl_s, clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def add(self, key: str) -> bool:
        """Remember ``key``; False if it was already remembered (a duplicate)."""
        now = self.clock()
        while self._seen and next(iter(self._seen.values())) < now:
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now + self.ttl_s
        while len(self._seen) > self.max_items:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)


class RedisSeenSet:
    """:class:`ExpiringSet` shared by every replica: one ``SET NX EX`` per event id in Redis.

    A replay delivered to the other replica is dropped there too. When Redis
    does not answer, the process's own set decides, so events keep flowing.
    """

    def __init__(self, client: Any, ttl_s: int = 3600, prefix: str = "tro-ly:zalo-seen:",
                 fallback: ExpiringSet | None = None):
        self.client, self.ttl_s, self.prefix = client, ttl_s, prefix
        self.fallback = fallback or ExpiringSet(ttl_s=ttl_s)

    def add(self, key: str) -> bool:
        try:
            return bool(self.client.set(self.prefix + key, b"1", nx=True, ex=self.ttl_s))
        except Exception as exc:  # noqa: BLE001 - any Redis failure: decide locally
            logger.warning("zalo de-duplication in Redis failed (%s); using this process's memory", type(exc).__name__)
            return self.fallback.add(key)


_JUST_A_NUMBER = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


class NumberedOptions:
    """The last buttons shown to each user, so "2" can pick the second one."""

    def __init__(self, max_users: int = 10_000, ttl_s: float = 3600, clock: Callable[[], float] = time.monotonic):
        self.max_users, self.ttl_s, self.clock = max_users, ttl_s, clock
        self._options: OrderedDict[str, tuple[float, List[str]]] = OrderedDict()

    def render(self, user_id: str, text: str, buttons: Sequence[Dict[str, Any]]) -> str:
        """``text`` followed by the numbered button titles; remembers their payloads for the user."""
        lines = [f"{i}. {b.get('title', '')}" for i, b in enumerate(buttons, start=1)]
        self._options[user_id] = (self.clock() + self.ttl_s, [str(b.get("payload", "")) for b in buttons])
        self._options.move_to_end(user_id)
        while len(self._options) > self.max_users:
            self._options.popitem(last=False)
        return "\n".join([text, *lines, "(Trả lời bằng số để chọn)"])

    def resolve(self, user_id: str, text: str) -> str:
        """The payload for a reply of just a number, else ``text`` unchanged."""
        match = _JUST_A_NUMBER.fullmatch(text or "")
        entry = self._options.get(user_id)
        if not match or entry is None or entry[0] < self.clock():
            return text
        index = int(match.group(1)) - 1
        payloads = entry[1]
        return payloads[index] if 0 <= index < len(payloads) and payloads[index] else text


def split_text(text: str, limit: int = MAX_ZALO_TEXT) -> List[str]:
    """Split at paragraph, line or word boundaries so that every piece fits Zalo's limit."""
    pieces: List[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
