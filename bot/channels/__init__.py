"""Rasa input channels of our own (Zalo Official Account)."""
