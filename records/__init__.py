"""What the assistant keeps: database engines, the log of the bot's turns, and the masking of
personal data before anything is stored or logged."""
