"""What the bot says: answer wording as pure functions of knowledge entries, split into chat
messages."""
