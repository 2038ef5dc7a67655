"""Chat-sized messages: split long answers where a reader would pause."""

from __future__ import annotations

from typing import List

MAX_MESSAGE_CHARS = 1000


def split_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> List[str]:
    """Split ``text`` into messages of at most ``limit`` characters.

    Cuts fall between paragraphs, then lines, then sentences, then words, so a
    list item or a sentence is never broken in the middle unless it alone is
    longer than a message.
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", ". ", " "):
        parts = text.split(separator)
        if len(parts) > 1:
            return _pack(parts, separator, limit)
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _pack(parts: List[str], separator: str, limit: int) -> List[str]:
    messages: List[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current.strip())
        if len(part) > limit:
            pieces = split_message(part, limit)
            messages.extend(pieces[:-1])
            current = pieces[-1] if pieces else ""
        else:
            current = part
    if current.strip():
        messages.append(current.strip())
    return messages
