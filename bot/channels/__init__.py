"""Rasa input channels of our own (REST with checks, Zalo Official Account, socket.io)."""

# One limit for a citizen's message on every channel: a chat message or a Zalo event is a
# few hundred bytes, so anything this big is refused before it reaches NLU.
MAX_CHAT_BODY_BYTES = 64 * 1024
