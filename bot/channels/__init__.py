"""Rasa input channels of our own (REST with checks, Zalo Official Account, socket.io)."""

# One limit for a citizen's message on every channel: a chat message or a Zalo event is a
# few hundred bytes, so anything this big is refused before it reaches NLU.
MAX_CHAT_BODY_BYTES = 64 * 1024

# A conversation id names its channel, so a REST client cannot write into the Zalo user or the
# widget session that happens to share its sender string.
MAX_SENDER_CHARS = 128


def conversation_id(channel: str, sender: str) -> str:
    """``<channel>:<sender>``: the tracker key for ``sender`` on ``channel``."""
    return f"{channel}:{sender}"


def sender_of(channel: str, conversation: str) -> str:
    """The channel's own id back from :func:`conversation_id` (unchanged if it has no such prefix)."""
    prefix = f"{channel}:"
    return conversation[len(prefix):] if conversation.startswith(prefix) else conversation
